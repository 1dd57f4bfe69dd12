// The portalsync operator console (docs/console.md). Every value from the API goes into the page
// as text (textContent, inside <bdi> so right-to-left marks stay in their cell), never as HTML.
"use strict";

const TEXT = {
  "zh-TW": {
    title: "portalsync 控制台", language: "語言", signin: "登入", token: "權杖",
    signin_button: "登入", signout: "登出",
    token_note: "權杖只保存在這個分頁（sessionStorage），關閉即清除。",
    overview: "總覽", holds: "待核准", quarantine: "隔離", reserved: "預約異動",
    account: "帳號查詢", audit: "稽核紀錄",
    state: "狀態", last_run: "上次執行", journal_lag: "日誌落後", failures: "連續失敗",
    directory: "目錄伺服器", database: "入口網資料庫", reachable: "可連線", unreachable: "無法連線",
    chart: "近 24 小時執行（長條：套用作業數；線：耗時）", no_runs: "近 24 小時沒有執行",
    id: "編號", created: "建立時間", destructive: "破壞性作業", managed: "管理中物件",
    reason: "原因", approved_by: "核准者", approve: "核准", approved: "已核准，同步開始",
    kind: "種類", subject: "對象", attempts: "失敗次數", last_error: "最後錯誤",
    quarantined: "已隔離", release: "解除", released: "已解除，下次同步重送",
    due: "生效時間", username: "帳號", display_name: "姓名", outcome: "結果／阻擋原因", requested_by: "申請者",
    cancel: "取消", cancelled: "已取消", look_up: "查詢", status: "狀態", unit: "單位",
    blocked: "交接阻擋", title_col: "職稱", portal_role: "入口網角色", locked: "已鎖定",
    email: "電子郵件", last_login: "最後登入", systems: "可用系統", problems: "交接事項", none: "無", unlock: "解除鎖定",
    password: "新密碼", must_change: "下次登入須變更", set_password: "設定密碼",
    history: "異動歷程", account_filter: "帳號", unit_filter: "單位代碼", subunits: "含下級單位",
    actor: "執行者", category: "類別", result: "結果", from: "起", to: "迄", limit: "筆數",
    search: "查詢", next: "下一頁", csv: "下載 CSV", xlsx: "下載 Excel", time: "時間",
    operation: "作業", verify: "防竄改", tamper_on: "已啟用", tamper_off: "未啟用",
    anchor: "最新錨點", sample: "暫緩作業樣本", dn: "DN", empty: "沒有資料", done: "完成",
    idle_due: "閒置停用：下次同步停用（含被交接事項擋下者）", idle_upcoming: "閒置停用：即將到期",
    days_idle: "閒置天數", disable_at: "停用時間", blocked_by: "阻擋原因",
    role: "角色", units: "單位範圍", all_units: "全部", agencies: "機關範圍", with_subagencies: "含下級機關",
    detail: "紀錄明細", directory_entry: "目錄項目", directory_state: "目錄狀態", groups: "所屬群組",
    state_enabled: "可登入", state_disabled: "已停用", state_locked: "登入失敗鎖定",
  },
  en: {
    title: "portalsync console", language: "Language", signin: "Sign in", token: "Token",
    signin_button: "Sign in", signout: "Sign out",
    token_note: "The token is kept in this tab only (sessionStorage) and goes when it closes.",
    overview: "Overview", holds: "Holds", quarantine: "Quarantine", reserved: "Reserved changes",
    account: "Account", audit: "Audit",
    state: "State", last_run: "Last run", journal_lag: "Journal lag", failures: "Consecutive failures",
    directory: "Directory", database: "Portal database", reachable: "reachable", unreachable: "unreachable",
    chart: "Runs in the last 24 h (bars: operations applied; line: duration)", no_runs: "No run in the last 24 h",
    id: "Id", created: "Created", destructive: "Destructive", managed: "Managed",
    reason: "Reason", approved_by: "Approved by", approve: "Approve", approved: "Approved; a sync starts",
    kind: "Kind", subject: "Object", attempts: "Failures", last_error: "Last error",
    quarantined: "Quarantined", release: "Release", released: "Released; the next sync sends it again",
    due: "Due", username: "Username", display_name: "Display name", outcome: "Outcome / blockers", requested_by: "Requested by",
    cancel: "Cancel", cancelled: "Cancelled", look_up: "Look up", status: "Status", unit: "Unit",
    blocked: "Handover blocked", title_col: "Title", portal_role: "Portal role", locked: "locked",
    email: "Email", last_login: "Last sign-in", systems: "Systems", problems: "Handover duties", none: "none", unlock: "Unlock",
    password: "New password", must_change: "Change at next sign-in", set_password: "Set password",
    history: "Change history", account_filter: "Account", unit_filter: "Unit code", subunits: "With sub-units",
    actor: "Actor", category: "Category", result: "Result", from: "From", to: "To", limit: "Limit",
    search: "Search", next: "Next page", csv: "Download CSV", xlsx: "Download Excel", time: "Time",
    operation: "Operation", verify: "Tamper evidence", tamper_on: "on", tamper_off: "off",
    anchor: "Latest anchor", sample: "Held operations, a sample", dn: "DN", empty: "Nothing here", done: "Done",
    idle_due: "Idle disable: at the next sync (and those a handover blocks)", idle_upcoming: "Idle disable: coming up",
    days_idle: "Days idle", disable_at: "Disable at", blocked_by: "Blocked by",
    role: "Role", units: "Units", all_units: "all", agencies: "Agencies", with_subagencies: "with the agencies below",
    detail: "Record", directory_entry: "Directory entry", directory_state: "Directory state", groups: "Groups",
    state_enabled: "enabled", state_disabled: "disabled", state_locked: "locked after failed sign-ins",
  },
};

// Which pages each duty opens (docs/admin-api.md, "Roles and unit scopes").
const PAGES = [
  { id: "overview", roles: ["monitor", "auditor", "operator", "admin"] },
  { id: "holds", roles: ["operator", "admin"], whole: true },
  { id: "quarantine", roles: ["operator", "admin"], whole: true },
  { id: "reserved", roles: ["account_admin", "admin"] },
  { id: "account", roles: ["account_admin", "admin"] },
  { id: "audit", roles: ["auditor", "admin"] },
];

let lang = sessionStorage.getItem("ps-lang") || "zh-TW";
let me = null;
let current = null;

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key] || key;

// An element with attributes and children; a string child becomes text, never markup.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "on") for (const [ev, f] of Object.entries(v)) node.addEventListener(ev, f);
    else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// A value from the API, isolated for bidirectional text.
const val = (v) => el("bdi", {}, v === null || v === undefined ? "" : String(v));

function table(columns, rows) {
  if (!rows.length) return el("p", { class: "muted" }, t("empty"));
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, t(c))))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((cell) => el("td", {}, cell instanceof Node ? cell : val(cell)))))));
}

function showError(message) { $("error").textContent = message || ""; }

async function api(method, path, body, raw) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem("ps-token") };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const reply = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" });
  if (raw) return reply;
  const text = await reply.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) { data = text; }
  if (!reply.ok) {
    const message = data && data.message ? data.message : String(reply.status);
    throw Object.assign(new Error(reply.status + ": " + message), { status: reply.status });
  }
  return data;
}

function translate() {
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("lang").value = lang;
}

function allowed(page) {
  return me && page.roles.includes(me.role) && !(page.whole && scoped());
}

// A token with units or agencies (GET /v1/whoami) sees only part of the portal.
function scoped() {
  return me.units.length > 0 || me.agencies.length > 0;
}

function scopeText() {
  if (!scoped()) return t("units") + " " + t("all_units");
  const parts = [];
  if (me.units.length) parts.push(t("units") + " " + me.units.join(", "));
  if (me.agencies.length)
    parts.push(t("agencies") + " " + me.agencies.join(", ") + (me.with_subagencies ? " (" + t("with_subagencies") + ")" : ""));
  return parts.join(" · ");
}

function renderNav() {
  const nav = $("nav");
  nav.replaceChildren(...PAGES.filter(allowed).map((p) =>
    el("button", { type: "button", id: "nav-" + p.id, "aria-current": p.id === current ? "page" : false,
      on: { click: () => open(p.id) } }, t(p.id))));
  nav.hidden = false;
  $("who").textContent = me.name + " · " + t("role") + " " + me.role + " · " + scopeText();
}

async function open(id) {
  current = id;
  showError("");
  renderNav();
  const page = $("page");
  page.hidden = false;
  page.replaceChildren(el("h2", {}, t(id)));
  try {
    await RENDER[id](page);
  } catch (e) {
    showError(e.message);
  }
}

// An action button: runs `action`, shows `done` or the error, then redraws the page.
function actionButton(label, action, done) {
  return el("button", { type: "button", on: { click: async () => {
    try { await action(); await open(current); showError(""); $("page").append(el("p", { class: "ok", role: "status" }, t(done))); }
    catch (e) { showError(e.message); }
  } } }, t(label));
}

function runChart(runs) {
  const width = 720, height = 180, pad = 30;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const svgEl = (tag, attrs, text) => {
    const n = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  for (const [k, v] of Object.entries({ class: "chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t("chart") })) svg.setAttribute(k, v);
  const now = Date.now(), start = now - 24 * 3600 * 1000;
  const x = (ms) => pad + ((ms - start) / (now - start)) * (width - 2 * pad);
  const ops = runs.map((r) => (r.summary && r.summary.applied) || 0);
  const secs = runs.map((r) => r.finished_at ? (Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000 : 0);
  const maxOps = Math.max(1, ...ops), maxSecs = Math.max(1, ...secs);
  const plot = height - 2 * pad;
  let line = "";
  runs.forEach((r, i) => {
    const at = x(Date.parse(r.started_at));
    const h = (ops[i] / maxOps) * plot;
    const bar = svgEl("rect", { x: at - 2, y: height - pad - h, width: 4, height: Math.max(h, 1), class: r.status === "failed" ? "failed" : "ops" });
    bar.append(svgEl("title", {}, `${r.started_at} ${r.status}: ${ops[i]} ops, ${secs[i].toFixed(1)} s`));
    svg.append(bar);
    line += `${line ? "L" : "M"}${at.toFixed(1)},${(height - pad - (secs[i] / maxSecs) * plot).toFixed(1)} `;
  });
  if (line) svg.append(svgEl("path", { d: line, class: "duration" }));
  svg.append(svgEl("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#5a6472" }));
  svg.append(svgEl("text", { x: pad, y: height - 8 }, "-24 h"));
  svg.append(svgEl("text", { x: width - pad - 20, y: height - 8 }, "now"));
  svg.append(svgEl("text", { x: 2, y: pad - 8 }, `${maxOps} ops / ${maxSecs.toFixed(1)} s`));
  return svg;
}

const RENDER = {
  async overview(page) {
    const status = await api("GET", "/v1/status");
    const ready = await api("GET", "/readyz").then(() => null, (e) => e.message);
    const runs = await api("GET", "/v1/runs").then((r) => ({ ok: r }), (e) => ({ error: e.message }));
    const last = status.last_run;
    const summary = last ? `#${last.run_id}: ${last.applied} / ${last.planned} applied, ${last.failed} failed, ${last.held} held` : "—";
    const lag = Math.max(0, status.journal_head - status.journal_synced);
    const reach = (problem) => problem ? el("span", { class: "bad" }, t("unreachable") + ": ", val(problem)) : el("span", { class: "ok" }, t("reachable"));
    page.append(el("table", { id: "overview-table" }, el("tbody", {},
      el("tr", {}, el("th", { scope: "row" }, t("state")), el("td", { id: "ov-state" }, val(status.state))),
      el("tr", {}, el("th", { scope: "row" }, t("last_run")), el("td", { id: "ov-last-run" }, val(summary))),
      el("tr", {}, el("th", { scope: "row" }, t("journal_lag")), el("td", { id: "ov-lag" }, val(lag))),
      el("tr", {}, el("th", { scope: "row" }, t("failures")), el("td", { id: "ov-failures" }, val(status.consecutive_failures))),
      el("tr", {}, el("th", { scope: "row" }, t("directory")), el("td", { id: "ov-directory" }, reach(ready))),
      el("tr", {}, el("th", { scope: "row" }, t("database")), el("td", { id: "ov-database" }, reach(runs.error))),
      el("tr", {}, el("th", { scope: "row" }, t("verify")), el("td", {}, val(status.audit.tamper_evident ? t("tamper_on") : t("tamper_off") + " " + (status.audit.problem || "")))))));
    page.append(el("h3", {}, t("chart")));
    page.append(runs.ok && runs.ok.length ? runChart(runs.ok) : el("p", { class: "muted" }, t("no_runs")));
  },

  async holds(page) {
    const holds = await api("GET", "/v1/approvals");
    page.append(table(["id", "state", "created", "destructive", "managed", "reason", "approved_by", ""],
      holds.map((h) => [h.id, h.state, h.created_at, h.destructive, h.managed, h.reason, h.approved_by,
        h.state === "held" ? actionButton("approve", () => api("POST", `/v1/approvals/${h.id}`, { decision: "approve" }), "approved") : ""])));
    // Each open hold's sample: the operations it keeps back as they were when it was held.
    for (const h of holds.filter((h) => h.state === "held" || h.state === "approved")) {
      const sample = h.sample || [];
      page.append(el("h3", { id: "hold-sample-" + h.id }, t("sample") + ` #${h.id} (${sample.length} / ${h.destructive})`),
        table(["operation", "kind", "subject", "reason", "dn"], sample.map((o) => [o.operation, o.kind, o.subject, o.reason, o.dn])));
    }
  },

  async quarantine(page) {
    const items = await api("GET", "/v1/quarantine");
    page.append(table(["kind", "id", "subject", "quarantined", "attempts", "last_error", ""],
      items.map((q) => [q.kind, q.id, q.subject, q.quarantined ? "✔" : "", q.failures, q.last_error,
        q.quarantined || q.failures ? actionButton("release", () => api("POST", `/v1/quarantine/${encodeURIComponent(q.kind)}/${q.id}/release`), "released") : ""])));
  },

  async reserved(page) {
    const changes = await api("GET", "/v1/scheduled-changes");
    changes.sort((a, b) => Date.parse(a.effective_at) - Date.parse(b.effective_at));
    page.append(table(["due", "username", "display_name", "kind", "state", "reason", "requested_by", "outcome", ""],
      changes.map((c) => [c.effective_at, c.username, c.display_name, c.kind, c.state, c.reason, c.requested_by,
        c.blocker ? el("span", { class: "bad" }, t("blocked") + ": ", val(c.blocker)) : c.outcome,
        c.state === "pending" ? actionButton("cancel", () => api("DELETE", `/v1/scheduled-changes/${c.id}`), "cancelled") : ""])));
    const idle = await api("GET", "/v1/idle-report");
    const idleRows = (list) => list.map((a) => [a.username, a.days_idle, a.disable_at, a.blocked_by]);
    page.append(el("h3", {}, t("idle_due")), table(["username", "days_idle", "disable_at", "blocked_by"], idleRows(idle.due.concat(idle.blocked))));
    page.append(el("h3", {}, t("idle_upcoming")), table(["username", "days_idle", "disable_at", "blocked_by"], idleRows(idle.upcoming)));
  },

  async account(page) {
    const input = el("input", { id: "account-name", required: true, autocomplete: "off" });
    const result = el("div", { id: "account-result" });
    const form = el("form", { on: { submit: async (e) => {
      e.preventDefault();
      showError("");
      try { await showAccount(result, input.value.trim()); } catch (err) { result.replaceChildren(); showError(err.message); }
    } } }, el("label", {}, t("username"), input), el("button", { type: "submit" }, t("look_up")));
    page.append(form, result);
  },

  async audit(page) {
    const fields = ["account", "unit", "actor", "category", "result", "from", "to"];
    const inputs = {};
    for (const f of fields) inputs[f] = el("input", { name: f, id: "audit-" + f, autocomplete: "off" });
    inputs.subunits = el("input", { type: "checkbox", id: "audit-subunits" });
    inputs.limit = el("input", { type: "number", min: 1, max: 1000, value: 50, id: "audit-limit" });
    const results = el("div", { id: "audit-results" });
    const detail = el("div", { id: "audit-detail", "aria-live": "polite" });
    const query = (extra) => {
      const q = new URLSearchParams();
      for (const f of fields) if (inputs[f].value.trim()) q.set(f, inputs[f].value.trim());
      if (inputs.subunits.checked) q.set("subunits", "1");
      for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
      return q;
    };
    let last = [];
    const search = async (after) => {
      showError("");
      const q = query({ limit: inputs.limit.value || "50" });
      if (after) q.set("after", after);
      try {
        last = await api("GET", "/v1/audit?" + q);
        results.replaceChildren(table(["id", "time", "actor", "operation", "subject", "unit", "category", "result"],
          last.map((r) => [el("button", { type: "button", class: "record", "aria-label": t("detail") + " " + r.id, on: { click: () => showRecord(detail, r) } }, String(r.id)),
            r.time_taipei || r.time_utc, r.actor, r.operation, r.subject, r.unit_id, r.category, r.result])));
        if (last.length) results.append(el("button", { type: "button", id: "audit-next", on: { click: () => search(last[last.length - 1].id) } }, t("next")));
      } catch (e) { results.replaceChildren(); showError(e.message); }
    };
    const labelled = (key, input) => el("label", {}, t(key), input);
    page.append(el("form", { id: "audit-form", on: { submit: (e) => { e.preventDefault(); search(0); } } },
      labelled("account_filter", inputs.account), labelled("unit_filter", inputs.unit), labelled("subunits", inputs.subunits),
      labelled("actor", inputs.actor), labelled("category", inputs.category), labelled("result", inputs.result),
      labelled("from", inputs.from), labelled("to", inputs.to), labelled("limit", inputs.limit),
      el("button", { type: "submit", id: "audit-search" }, t("search"))));
    page.append(el("p", {},
      el("button", { type: "button", id: "audit-csv", on: { click: () => download(csv(last), "text/csv;charset=utf-8", "audit.csv") } }, t("csv")), " ",
      el("button", { type: "button", id: "audit-xlsx", on: { click: async () => {
        try {
          const reply = await api("GET", "/v1/audit?" + query({ format: "xlsx" }), undefined, true);
          if (!reply.ok) throw new Error(reply.status + ": " + (await reply.text()));
          download(await reply.blob(), null, "audit.xlsx");
        } catch (e) { showError(e.message); }
      } } }, t("xlsx"))));
    page.append(results, detail);
    try {
      const status = await api("GET", "/v1/status");
      page.append(el("p", { id: "audit-verify" }, t("verify") + ": ", val(status.audit.tamper_evident ? t("tamper_on") : t("tamper_off")),
        " · " + t("anchor") + ": ", val(status.audit.anchor || "—")));
    } catch (e) { /* the verify state needs monitor, which every auditor has */ }
    await search(0);
  },
};

async function showAccount(result, username) {
  const path = "/v1/accounts/" + encodeURIComponent(username);
  const row = await api("GET", path);
  const report = await api("GET", path + "/handover");
  result.replaceChildren(el("table", { id: "account-table" }, el("tbody", {},
    fieldRow("username", row.username), fieldRow("display_name", row.display_name), fieldRow("title_col", row.title),
    fieldRow("portal_role", row.role), fieldRow("status", row.status + (row.locked ? " · " + t("locked") : "")),
    fieldRow("unit", row.unit + " (" + row.unit_code + ")"), fieldRow("email", row.email),
    fieldRow("last_login", row.last_login_at),
    fieldRow("systems", row.systems.length ? el("ul", {}, row.systems.map((s) => el("li", {}, val(s.code + " " + s.name)))) : t("none")),
    el("tr", {}, el("th", { scope: "row" }, t("problems")), el("td", {},
      report.problems.length ? el("ul", {}, report.problems.map((p) => el("li", {}, val(p)))) : t("none"))))));
  result.append(el("h3", {}, t("directory_entry")), await directoryEntry(path));
  const password = el("input", { type: "password", id: "account-password", autocomplete: "new-password", required: true });
  const mustChange = el("input", { type: "checkbox", id: "account-must-change" });
  const note = el("p", { role: "status", id: "account-note" });
  const act = async (action) => {
    showError("");
    note.textContent = "";
    try { note.textContent = (await action()).message || t("done"); } catch (e) { showError(e.message); }
  };
  result.append(
    el("p", {}, el("button", { type: "button", id: "account-unlock", on: { click: () => act(() => api("POST", path + "/unlock")) } }, t("unlock"))),
    el("form", { on: { submit: (e) => {
      e.preventDefault();
      const body = { password: password.value, must_change: mustChange.checked };
      password.value = "";  // never kept, never shown
      act(() => api("POST", path + "/password", body));
    } } }, el("label", {}, t("password"), password), el("label", {}, t("must_change"), mustChange),
      el("button", { type: "submit" }, t("set_password"))),
    note);
  if (allowed(PAGES.find((p) => p.id === "audit"))) {
    const history = await api("GET", "/v1/audit?limit=50&account=" + encodeURIComponent(username));
    result.append(el("h3", {}, t("history")), table(["time", "actor", "operation", "category", "result"],
      history.map((r) => [r.time_taipei || r.time_utc, r.actor, r.operation, r.category, r.result])));
  }
}

// A row of a two-column table: a translated heading and its value.
const fieldRow = (key, value) => el("tr", {}, el("th", { scope: "row" }, t(key)), el("td", {}, value instanceof Node ? value : val(value)));

// One change-log record, every field of it, under the results; focus moves there.
function showRecord(detail, record) {
  const rows = Object.entries(record).map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, val(v))));
  const heading = el("h3", { tabindex: "-1" }, t("detail") + " " + record.id);
  detail.replaceChildren(heading, el("table", { id: "audit-record" }, el("tbody", {}, rows)));
  heading.focus();
}

// The entry as the directory has it now; a directory that cannot be read is said in place.
async function directoryEntry(path) {
  let entry;
  try { entry = await api("GET", path + "/directory"); } catch (e) { return el("p", { class: "bad", id: "directory-error" }, val(e.message)); }
  const state = t("state_" + entry.state) + (entry.locked_since ? " (" + entry.locked_since + ")" : "");
  return el("table", { id: "directory-table" }, el("tbody", {},
    fieldRow("dn", entry.dn),
    fieldRow("directory_state", el("span", { class: entry.state === "enabled" ? "ok" : "bad" }, val(state))),
    fieldRow("groups", entry.groups.length ? el("ul", {}, entry.groups.map((g) => el("li", {}, val(g)))) : t("none"))));
}

// RFC 4180 CSV of the records shown (the API's JSON page), with a BOM so Excel reads UTF-8.
function csv(records) {
  const columns = ["id", "time_utc", "time_taipei", "actor", "operation", "kind", "subject_id", "subject", "unit_id", "from_unit_id", "category", "reason", "result", "message"];
  const cell = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
    return /[",\r\n]/.test(safe) || safe !== s ? '"' + safe.replace(/"/g, '""') + '"' : safe;
  };
  return "\ufeff" + [columns.join(",")].concat(records.map((r) => columns.map((c) => cell(r[c])).join(","))).join("\r\n") + "\r\n";
}

function download(content, type, name) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function signIn() {
  try {
    me = await api("GET", "/v1/whoami");
  } catch (e) {
    sessionStorage.removeItem("ps-token");
    showError(e.message);
    return;
  }
  $("signin").hidden = true;
  $("signout").hidden = false;
  const first = PAGES.find(allowed);
  if (first) await open(first.id);
  else renderNav();
}

function signOut() {
  sessionStorage.removeItem("ps-token");
  me = null;
  current = null;
  $("nav").hidden = true;
  $("page").hidden = true;
  $("page").replaceChildren();
  $("signin").hidden = false;
  $("signout").hidden = true;
  $("who").textContent = "";
  $("token").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  translate();
  $("lang").addEventListener("change", () => {
    lang = $("lang").value;
    sessionStorage.setItem("ps-lang", lang);
    translate();
    if (me) open(current);
  });
  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("ps-token", $("token").value.trim());
    $("token").value = "";
    signIn();
  });
  $("signout").addEventListener("click", signOut);
  if (sessionStorage.getItem("ps-token")) signIn();
  else $("token").focus();
});
