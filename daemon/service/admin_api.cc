#include "daemon/service/admin_api.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <utility>
#include <variant>

#include "core/audit.h"
#include "core/audit_filter.h"
#include "core/idle_json.h"
#include "core/json.h"
#include "core/portal_lookup.h"
#include "daemon/actions/quarantine_release.h"
#include "daemon/actions/scheduling.h"
#include "daemon/admin/json_body.h"
#include "daemon/console/console_routes.h"
#include "daemon/export/audit_workbook.h"
#include "daemon/service/local_zone.h"
#include "daemon/service/request_scope.h"

namespace ps {

using admin::AdminRequest;
using admin::AdminResponse;

admin::AdminSettings admin_settings(const Config& config) {
  admin::AdminSettings s;
  s.listen = config.admin.listen;
  s.tls_cert = config.admin.tls_cert;
  s.tls_key = config.admin.tls_key;
  for (const auto& t : config.admin.tokens) s.tokens.push_back({t.name, t.sha256, t.role, t.scope});
  s.allow_insecure_listen = config.admin.allow_insecure_listen;
  const auto& l = config.admin.limits;
  auto count = [](int n) { return static_cast<std::size_t>(n); };
  s.limits.max_header_bytes = count(l.max_header_bytes);
  s.limits.max_body_bytes = count(l.max_body_bytes);
  s.limits.header_timeout = std::chrono::seconds(l.header_timeout_seconds);
  s.limits.request_timeout = std::chrono::seconds(l.request_timeout_seconds);
  s.limits.idle_timeout = std::chrono::seconds(l.idle_timeout_seconds);
  s.limits.max_connections = count(l.max_connections);
  s.limits.max_connections_per_address = count(l.max_connections_per_address);
  return s;
}

AdminApi::AdminApi(boost::asio::io_context& loop, SyncService& service, Logger& log)
    : loop_(loop),
      service_(service),
      database_(service.config().portal.database),
      audit_key_(service.config().audit.key),
      offload_(loop.get_executor(), worker_.get_executor(), log) {}

AdminApi::~AdminApi() {
  worker_.stop();
  worker_.join();
}

admin::AsyncHandler AdminApi::on_worker(Endpoint endpoint) {
  return [this, endpoint = std::move(endpoint)](const AdminRequest& r, admin::Respond respond) {
    offload_.run_on_worker(
        [this, endpoint, r] {
          if (auto unavailable = open_store()) return std::move(*unavailable);
          return endpoint(r);
        },
        std::move(respond));
  };
}

std::optional<AdminResponse> AdminApi::open_store() {
  auto epoch = service_.database_epoch();
  if (store_ && store_epoch_ == epoch) return std::nullopt;
  auto fresh = SociPortalStore::open(database_, audit_key_);
  if (!fresh) {
    auto unavailable = AdminResponse::error(503, "portal_database_unavailable", fresh.error());
    unavailable.headers.emplace_back("Retry-After", "5");
    return unavailable;
  }
  store_ = std::move(fresh.value());
  store_epoch_ = epoch;
  return std::nullopt;
}

void AdminApi::on_loop(std::function<void()> f) { boost::asio::post(loop_, std::move(f)); }

// /metrics and /v1/status answer from memory: the counts and the custody breaches are read on
// the worker at the start and after each run (a run is what quarantines or releases an object and
// records breaches; `portalsync quarantine` shows up after the next one).
void AdminApi::refresh_quarantine() {
  boost::asio::post(worker_, [this] {
    if (open_store()) return;  // read after the first run the database answers
    std::optional<std::int64_t> count, waiting;
    if (auto q = store_->load_quarantine()) {
      count = std::count_if(q->begin(), q->end(), [](auto& e) { return e.quarantined; });
      waiting = static_cast<std::int64_t>(q->size()) - *count;
    }
    std::optional<CustodyWatch> watch;
    if (auto w = store_->load_custody_watch()) watch = std::move(w.value());
    on_loop([this, count, waiting, watch = std::move(watch)] {
      quarantined_ = count;
      pending_ = waiting;
      custody_ = watch;
    });
  });
}

// A preview plans the whole portal against the whole directory: at most one is computed at a
// time. A request that arrives meanwhile shares its answer; past kMaxPlanWaiters, 503 busy.
void AdminApi::plan(admin::Respond respond) {
  constexpr std::size_t kMaxPlanWaiters = 16;
  if (plan_waiters_.size() >= kMaxPlanWaiters) {
    auto busy = AdminResponse::error(503, "busy",
                                     "a plan preview is being computed for " +
                                         std::to_string(plan_waiters_.size()) +
                                         " requests already; try again shortly");
    busy.headers.emplace_back("Retry-After", "5");
    return respond(std::move(busy));
  }
  plan_waiters_.push_back(std::move(respond));
  if (plan_waiters_.size() > 1) return;
  service_.preview([this](Result<std::string> plan) {
    auto reply = plan ? AdminResponse::json(200, plan.value())
                      : AdminResponse::error(503, "directory_unavailable", plan.error());
    auto waiters = std::exchange(plan_waiters_, {});
    for (auto& waiter : waiters) waiter(reply);
  });
}

admin::Router AdminApi::routes() {
  service_.on_run_finished([this] { refresh_quarantine(); });
  refresh_quarantine();
  using Duty = ps::Duty;
  admin::Router r;
  r.add(
      "GET", "/healthz",
      [](const AdminRequest&) { return AdminResponse::json(200, R"({"status":"ok"})"); },
      admin::Access::public_);
  add_console_routes(r);
  r.add("GET", "/v1/whoami", [](const AdminRequest& req) { return whoami(req); }).needs(Duty::any);
  r.add("GET", "/readyz", [this](const AdminRequest&) { return readiness(); }).needs(Duty::monitor);
  r.add("GET", "/metrics", [this](const AdminRequest&) { return metrics(); }).needs(Duty::monitor);
  r.add("GET", "/v1/status", [this](const AdminRequest& req) {
     return status(req);
   }).needs(Duty::monitor);
  r.add_async("GET", "/v1/runs", on_worker([this](const AdminRequest&) { return runs(); }))
      .needs(Duty::monitor);
  r.add("POST", "/v1/sync", [this](const AdminRequest& req) {
     service_.request_run("requested by " + req.actor);
     return AdminResponse::json(202, R"({"accepted":true})");
   }).needs(Duty::operate);
  r.add_async("GET", "/v1/plan", [this](const AdminRequest&, admin::Respond respond) {
     plan(std::move(respond));
   }).needs(Duty::operate);
  r.add_async("GET", "/v1/approvals",
              on_worker([this](const AdminRequest&) { return approvals(); }))
      .needs(Duty::operate);
  r.add_async("POST", "/v1/approvals/{id}",
              on_worker([this](const AdminRequest& req) { return approve(req); }))
      .needs(Duty::operate);
  r.add_async("GET", "/v1/quarantine",
              on_worker([this](const AdminRequest&) { return quarantine(); }))
      .needs(Duty::operate);
  r.add_async("POST", "/v1/quarantine/{kind}/{id}/release",
              on_worker([this](const AdminRequest& req) { return release(req); }))
      .needs(Duty::operate);
  r.add_async("GET", "/v1/scheduled-changes",
              on_worker([this](const AdminRequest& req) { return scheduled_changes(req); }))
      .needs(Duty::accounts);
  r.add_async("POST", "/v1/scheduled-changes",
              on_worker([this](const AdminRequest& req) { return add_scheduled_change(req); }))
      .needs(Duty::accounts);
  r.add_async("DELETE", "/v1/scheduled-changes/{id}",
              on_worker([this](const AdminRequest& req) { return cancel_scheduled_change(req); }))
      .needs(Duty::accounts);
  // The rule's settings are read here, on the loop, where a reload replaces them.
  r.add_async("GET", "/v1/idle-report", [this](const AdminRequest& req, admin::Respond respond) {
     offload_.run_on_worker(
         [this, req, policy = service_.config().policies.idle_disable] {
           if (auto unavailable = open_store()) return std::move(*unavailable);
           return idle_report(req, policy);
         },
         std::move(respond));
   }).needs(Duty::accounts);
  r.add_async("GET", "/v1/accounts/{username}",
              on_worker([this](const AdminRequest& req) { return account(req); }))
      .needs(Duty::accounts);
  r.add_async("GET", "/v1/accounts/{username}/handover",
              on_worker([this](const AdminRequest& req) { return handover(req); }))
      .needs(Duty::accounts);
  r.add_async("GET", "/v1/accounts/{username}/directory",
              [this](const AdminRequest& req, admin::Respond done) {
                account_directory(req, std::move(done));
              })
      .needs(Duty::accounts);
  r.add_async(
       "POST", "/v1/accounts/{username}/password",
       [this](const AdminRequest& req, admin::Respond done) { set_password(req, std::move(done)); })
      .needs(Duty::accounts);
  r.add_async(
       "POST", "/v1/accounts/{username}/unlock",
       [this](const AdminRequest& req, admin::Respond done) { unlock(req, std::move(done)); })
      .needs(Duty::accounts);
  r.add_async("POST", "/v1/custody/{shared}",
              on_worker([this](const AdminRequest& req) { return transfer_custody(req); }))
      .needs(Duty::accounts);
  r.add_async("POST", "/v1/persons/accounts",
              on_worker([this](const AdminRequest& req) { return person_accounts(req); }))
      .needs(Duty::persons);
  r.add_async("GET", "/v1/audit", on_worker([this](const AdminRequest& req) { return audit(req); }))
      .needs(Duty::audit);
  return r;
}

AdminResponse AdminApi::whoami(const AdminRequest& r) {
  JsonWriter w;
  w.begin_object().key("name").value(r.token_name).key("role").value(to_string(r.role));
  w.key("units").strings(r.scope.units).key("agencies").strings(r.scope.agencies);
  w.key("with_subagencies").value(r.scope.with_subagencies).end_object();
  return AdminResponse::json(200, w);
}

AdminResponse AdminApi::status(const AdminRequest& r) const {
  const auto& s = service_.status();
  JsonWriter w;
  w.begin_object();
  w.key("state").value(to_string(s.state));
  w.key("runs").value(s.runs);
  w.key("failed_runs").value(s.failed_runs);
  w.key("consecutive_failures").value(s.consecutive_failures);
  w.key("last_success_at").value(s.last_success_at);
  w.key("last_error").value(s.last_error);
  w.key("next_retry_at").value(s.next_retry_at);
  w.key("journal_head").value(s.journal_head);
  w.key("journal_synced").value(s.journal_synced);
  w.key("journal_wakeup").value(to_string(s.wakeup));
  // Whether the portal database answers (docs/operations.md, When the portal database is down).
  const auto& db = s.portal_database;
  w.key("portal_database").begin_object();
  w.key("state").value(to_string(db.state));
  w.key("last_error").value(db.last_error);
  w.key("attempts").value(db.attempts);
  w.key("next_retry_at").value(db.next_retry_at);
  w.end_object();
  // Two nodes (docs/operations.md): this node's role and the last claim of the active role.
  w.key("node").begin_object();
  w.key("name").value(s.node);
  w.key("role").value(to_string(s.role));
  w.key("active").value(s.active.holder);
  w.key("active_since").value(s.active.since);
  w.key("fence").value(s.active.fence);
  w.key("standby_because").value(s.role_note);
  w.end_object();
  const auto& audit = service_.config().audit;
  w.key("audit").begin_object();
  w.key("tamper_evident").value(!audit.key.empty());
  if (audit.key.empty())
    w.key("problem").value(audit.key_file.empty() ? "no audit.key_file"
                                                  : "audit.key_file does not exist yet");
  w.key("anchor").value(s.audit_anchor);
  w.end_object();
  w.key("last_run");
  if (s.last_run_summary.empty())
    w.null();
  else
    w.raw(s.last_run_summary);
  // As the last full run left them (docs/policies.md); null when the table cannot be read.
  // A token limited to some units is not shown other units' breaches: none at all, as the status
  // is answered from memory without the portal's tree to tell which are whose.
  w.key("custody_breaches");
  if (custody_ && r.scope.empty())
    breaches_json(w, custody_->open);
  else
    w.null();
  w.end_object();
  return AdminResponse::json(200, w);
}

// The sync runs of the last 24 hours, oldest first (at most 2,000: one a minute, and some).
AdminResponse AdminApi::runs() const {
  auto since = format_utc(std::chrono::system_clock::now() - std::chrono::hours(24));
  auto rows = store_->load_runs_since(since, 2000);
  if (!rows) return AdminResponse::error(500, "store_error", rows.error());
  JsonWriter w;
  w.begin_array();
  for (const auto& run : rows.value()) {
    w.begin_object();
    w.key("id").value(run.id).key("started_at").value(run.started_at);
    w.key("finished_at").value(run.finished_at).key("status").value(run.status);
    w.key("summary");
    if (run.summary_json.empty())
      w.null();
    else
      w.raw(run.summary_json);
    w.end_object();
  }
  w.end_array();
  return AdminResponse::json(200, w);
}

AdminResponse AdminApi::readiness() const {
  const auto& s = service_.status();
  if (s.portal_database.state != DatabaseState::available)
    return AdminResponse::error(503, "portal_database_unavailable",
                                s.portal_database.last_error.empty()
                                    ? std::string("connecting to the portal database")
                                    : s.portal_database.last_error);
  if (s.role != NodeRole::active)
    return AdminResponse::error(
        503, "standby",
        "this node is standby; the active node is " +
            (s.active.holder.empty() ? std::string("unknown") : s.active.holder));
  if (!service_.directory_answered())
    return AdminResponse::error(503, "not_ready", "the directory has not answered yet");
  if (s.consecutive_failures > 0)
    return AdminResponse::error(503, "not_ready", "the last sync failed: " + s.last_error);
  return AdminResponse::json(200, R"({"ready":true})");
}

// Prometheus text exposition format, version 0.0.4.
AdminResponse AdminApi::metrics() const {
  const auto& s = service_.status();
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help, const std::string& v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + v + "\n";
  };
  metric("portalsync_sync_runs_total", "counter", "Sync runs finished.", std::to_string(s.runs));
  metric("portalsync_sync_runs_failed_total", "counter", "Sync runs that failed.",
         std::to_string(s.failed_runs));
  out +=
      "# HELP portalsync_operations_total Directory operations by result.\n"
      "# TYPE portalsync_operations_total counter\n"
      "portalsync_operations_total{result=\"applied\"} " +
      std::to_string(s.operations_applied) + "\nportalsync_operations_total{result=\"failed\"} " +
      std::to_string(s.operations_failed) + "\n";
  // Objects a run planned but did not apply (failed, skipped, held, released from quarantine)
  // are still waiting although the journal moved past them: the lag counts them too.
  std::int64_t waiting = pending_.value_or(0);
  metric("portalsync_journal_lag_entries", "gauge",
         "Portal changes not yet in the directory: journal entries no run covered, plus objects "
         "a run planned and did not apply (portalsync quarantine list).",
         std::to_string(std::max<std::int64_t>(0, s.journal_head - s.journal_synced) + waiting));
  metric("portalsync_pending_objects", "gauge",
         "Objects whose operations failed, were skipped or held, and that every run plans again.",
         std::to_string(waiting));
  metric("portalsync_consecutive_failures", "gauge", "Failed runs since the last good one.",
         std::to_string(s.consecutive_failures));
  metric("portalsync_portal_database_up", "gauge",
         "1 while the portal database answers, 0 while portalsyncd waits for it or it refuses.",
         s.portal_database.state == DatabaseState::available ? "1" : "0");
  metric("portalsync_node_active", "gauge",
         "1 while this node is the active one (it holds the leader lease), 0 on standby.",
         s.role == NodeRole::active ? "1" : "0");
  metric("portalsync_leader_fence", "gauge",
         "The fencing number of the last claim of the active role; it rises at every failover.",
         std::to_string(s.active.fence));
  auto last = parse_timestamp(s.last_success_at);
  metric(
      "portalsync_last_success_timestamp_seconds", "gauge",
      "When the last sync run succeeded (Unix time; 0: never).",
      std::to_string(
          last ? std::chrono::duration_cast<std::chrono::seconds>(last->time_since_epoch()).count()
               : 0));
  const auto& h = s.directory_latency;
  out +=
      "# HELP portalsync_directory_operation_seconds Time from sending a directory operation to "
      "its answer.\n# TYPE portalsync_directory_operation_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < h.kBounds.size(); ++b) {
    cumulative += h.counts[b];
    char le[32];
    std::snprintf(le, sizeof le, "%g", h.kBounds[b]);
    out += "portalsync_directory_operation_seconds_bucket{le=\"" + std::string(le) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "portalsync_directory_operation_seconds_bucket{le=\"+Inf\"} " + std::to_string(h.count) +
         "\nportalsync_directory_operation_seconds_sum " + std::to_string(h.sum) +
         "\nportalsync_directory_operation_seconds_count " + std::to_string(h.count) + "\n";
  if (quarantined_) {
    metric("portalsync_quarantined_objects", "gauge",
           "Objects whose directory operations are no longer sent (portalsync quarantine list).",
           std::to_string(*quarantined_));
  }
  if (const auto& watch = custody_) {
    auto count = [&](BreachKind k) {
      return std::to_string(std::count_if(watch->open.begin(), watch->open.end(),
                                          [&](const CustodyBreach& b) { return b.kind == k; }));
    };
    metric("portalsync_orphaned_shared_accounts", "gauge",
           "Enabled shared accounts without an enabled custodian in their unit (portalsync custody "
           "list --orphaned).",
           count(BreachKind::orphaned_shared_account));
    metric("portalsync_units_without_admin", "gauge",
           "Units left without an enabled agency admin by a portal-side disable or transfer.",
           count(BreachKind::unit_without_admin));
  }
  if (server_) {
    const auto& m = server_->metrics();
    out +=
        "# HELP portalsync_admin_responses_total Admin API responses by status class.\n"
        "# TYPE portalsync_admin_responses_total counter\n";
    for (int c = 1; c <= 5; ++c)
      out += "portalsync_admin_responses_total{class=\"" + std::to_string(c) + "xx\"} " +
             std::to_string(m.responses_by_class[c]) + "\n";
    metric("portalsync_admin_connections_evicted_total", "counter",
           "Idle admin connections closed to make room for a new one.",
           std::to_string(m.connections_evicted));
    metric("portalsync_admin_connections_refused_total", "counter",
           "Admin connections refused (503 or closed) because every one was busy.",
           std::to_string(m.connections_refused));
  }
  return AdminResponse::text(200, out, "text/plain; version=0.0.4; charset=utf-8");
}

AdminResponse AdminApi::approvals() const {
  auto holds = store_->load_holds();
  if (!holds) return AdminResponse::error(500, "store_error", holds.error());
  JsonWriter w;
  w.begin_array();
  for (const auto& h : holds.value()) {
    w.begin_object();
    w.key("id").value(static_cast<std::int64_t>(h.id));
    w.key("state").value(to_string(h.state));
    w.key("created_at").value(h.created_at);
    w.key("destructive").value(h.destructive);
    w.key("managed").value(h.managed);
    w.key("reason").value(h.reason);
    w.key("approved_by").value(h.approved_by);
    w.key("approved_at").value(h.approved_at);
    w.key("sample");  // who and why: the first held operations as the hold's record keeps them
    if (h.sample_json.empty())
      w.null();
    else
      w.raw(h.sample_json);
    w.end_object();
  }
  w.end_array();
  return AdminResponse::json(200, w);
}

namespace {

// The decision in a POST /v1/approvals/{id} body: {"decision":"approve"|"reject"}; an empty body
// approves (as before the body was read). Anything else is the 400 to send back.
std::variant<HoldState, AdminResponse> hold_decision(const AdminRequest& r) {
  auto bad = [](const std::string& message) {
    JsonWriter w;
    w.begin_object().key("error").value("bad_request").key("field").value("decision");
    w.key("message").value(message).end_object();
    return AdminResponse::json(400, w);
  };
  if (r.body.find_first_not_of(" \t\r\n") == std::string::npos) return HoldState::approved;
  auto body = admin::JsonBody::parse(r.body);
  if (!body) return bad(body.error());
  if (auto st = body->only_keys({"decision"}); !st) return bad(st.message());
  auto decision = body->string("decision");
  if (!decision) return bad(decision.error());
  if (decision.value() == "approve") return HoldState::approved;
  if (decision.value() == "reject") return HoldState::rejected;
  return bad("\"decision\" must be \"approve\" or \"reject\", not \"" + decision.value() + "\"");
}

}  // namespace

// Approves or rejects a held run. An approval is bound to the hold's exact set and lets the next
// run send it once; a rejection keeps the set held until the portal stops asking for it. Either
// is recorded in the change log with the token's name.
AdminResponse AdminApi::approve(const AdminRequest& r) {
  auto decision = hold_decision(r);
  if (auto* refused = std::get_if<AdminResponse>(&decision)) return std::move(*refused);
  auto next = std::get<HoldState>(decision);
  bool approving = next == HoldState::approved;
  auto id = std::atoll(r.param("id").c_str());
  auto holds = store_->load_holds();
  if (!holds) return AdminResponse::error(500, "store_error", holds.error());
  for (auto h : holds.value()) {
    if (h.id != id) continue;
    // An approval can be withdrawn (rejected) until a run sends it; only a held run is approved.
    bool allowed = h.state == HoldState::held || (!approving && h.state == HoldState::approved);
    if (!allowed)
      return AdminResponse::error(
          409, "not_held",
          "hold " + r.param("id") + " is " + std::string(to_string(h.state)) +
              "; only a held run can be " + (approving ? "approved" : "rejected"));
    h.state = next;
    h.approved_by = r.actor;
    h.approved_at = format_utc(std::chrono::system_clock::now());
    ChangeRecord record;
    record.at = h.approved_at;
    record.actor = r.actor;
    record.operation = approving ? "approve" : "reject";
    record.category = "approval";
    record.subject_name = "hold " + r.param("id");
    record.subject_id = id;
    record.reason = h.reason;
    record.result = "done";
    if (auto saved = store_->save_hold(h, record); !saved)
      return AdminResponse::error(500, "store_error", saved.error());
    if (!approving) return AdminResponse::json(200, R"({"approved":false,"state":"rejected"})");
    on_loop([this, why = "hold " + r.param("id") + " approved by " + r.actor] {
      service_.request_run(why);
    });
    return AdminResponse::json(200, R"({"approved":true,"state":"approved"})");
  }
  return AdminResponse::error(404, "not_found", "no hold " + r.param("id"));
}

// As `portalsync idle report --json`, the accounts limited to the token's units.
AdminResponse AdminApi::idle_report(const AdminRequest& r, const IdlePolicy& policy) const {
  auto portal = store_->load_snapshot();
  if (!portal) return AdminResponse::error(500, "store_error", portal.error());
  // Judged on the whole portal (a handover duty elsewhere still blocks), then narrowed.
  auto report = assess_idle(portal.value(), policy, std::chrono::system_clock::now());
  auto scope = scope_of(r.scope, portal.value());
  for (auto* list : {&report.due, &report.blocked, &report.upcoming})
    list->erase(std::remove_if(list->begin(), list->end(),
                               [&](const IdleAccount& a) {
                                 return !scope.has_account(portal.value(), a.username);
                               }),
                list->end());
  JsonWriter w;
  w.begin_object().key("after_days").value(static_cast<std::int64_t>(policy.after_days));
  idle_json(w, "due", report.due);
  idle_json(w, "blocked", report.blocked);
  idle_json(w, "upcoming", report.upcoming);
  w.end_object();
  return AdminResponse::json(200, w);
}

AdminResponse AdminApi::quarantine() const {
  auto entries = store_->load_quarantine();
  if (!entries) return AdminResponse::error(500, "store_error", entries.error());
  JsonWriter w;
  w.begin_array();
  for (const auto& e : entries.value()) {
    w.begin_object();
    w.key("kind").value(to_string(e.kind));
    w.key("id").value(static_cast<std::int64_t>(e.portal_id));
    w.key("subject").value(e.subject);
    w.key("quarantined").value(e.quarantined);
    w.key("failures").value(static_cast<std::int64_t>(e.failures));
    w.key("first_failed_at").value(e.first_failed_at);
    w.key("last_failed_at").value(e.last_failed_at);
    w.key("last_error").value(e.last_error);
    w.end_object();
  }
  w.end_array();
  return AdminResponse::json(200, w);
}

// POST /v1/quarantine/{kind}/{id}/release: as `portalsync quarantine release KIND ID`.
AdminResponse AdminApi::release(const AdminRequest& r) {
  actions::ReleaseTarget target{parse_object_kind(r.param("kind")),
                                std::atoll(r.param("id").c_str())};
  if (!target.kind)
    return AdminResponse::error(
        400, "bad_request",
        "kind: \"" + r.param("kind") + "\" is not org_unit, account, shared_account or group");
  auto portal = store_->load_snapshot();
  if (!portal) return AdminResponse::error(500, "store_error", portal.error());
  auto released = actions::release_quarantine(*store_, portal.value(), target, r.actor);
  if (!released)
    return released.failure().refusal == actions::Refusal::not_found
               ? AdminResponse::error(404, "not_found", released.error())
               : AdminResponse::error(500, "store_error", released.error());
  on_loop([this, why = "quarantine release by " + r.actor] {
    service_.request_run(why, false, SyncService::RunKind::journal);
  });
  return AdminResponse::json(200, R"({"released":true})");
}

AdminResponse AdminApi::scheduled_changes(const AdminRequest& r) const {
  auto changes = store_->load_scheduled_changes();
  if (!changes) return AdminResponse::error(500, "store_error", changes.error());
  auto portal = store_->load_snapshot();
  if (!portal) return AdminResponse::error(500, "store_error", portal.error());
  auto scope = scope_of(r.scope, portal.value());
  JsonWriter w;
  w.begin_array();
  for (const auto& c : changes.value()) {
    const auto* account = find_account(portal.value(), c.account_id);
    if (!scope.unlimited() && !(account && scope.has_unit(account->org_unit_id))) continue;
    w.begin_object();
    w.key("id").value(static_cast<std::int64_t>(c.id));
    w.key("account_id").value(static_cast<std::int64_t>(c.account_id));
    w.key("username").value(account ? std::string(account->username()) : std::string());
    w.key("display_name").value(account ? std::string(account->display_name()) : std::string());
    w.key("kind").value(c.kind);
    w.key("effective_at").value(c.effective_at);
    w.key("state").value(to_string(c.state));
    w.key("reason").value(c.reason);
    w.key("requested_by").value(c.requested_by);
    w.key("outcome").value(c.outcome);
    // What would stop a pending change if it ran now, so it is seen before its day comes.
    auto blocker =
        c.state == ChangeState::pending ? actions::handover_block(portal.value(), c) : std::nullopt;
    w.key("blocker").value(blocker ? blocker->message : std::string());
    w.end_object();
  }
  w.end_array();
  return AdminResponse::json(200, w);
}

// The filters of `portalsync audit query` by the same names (core/audit_filter.h), paged by
// after (the last id seen) and limit. Unknown names or values: 400.
Result<AuditFilter> AdminApi::audit_filter(const std::map<std::string, std::string>& params,
                                           std::size_t default_limit, std::size_t max_limit) const {
  Result<PortalSnapshot> portal = PortalSnapshot{};
  if (audit_filter_names_rows(params)) portal = store_->load_snapshot();
  if (!portal) return Result<AuditFilter>::failure(portal.error());
  auto filter = build_audit_filter(
      params, portal.value(), utc_offset_at,
      [this](const std::string& name) { return store_->former_account_id(name); });
  if (!filter) return filter;
  if (!params.count("limit")) filter->limit = default_limit;
  if (filter->limit > max_limit)
    return Result<AuditFilter>::failure(
        StatusCode::invalid,
        "limit: must be 1.." + std::to_string(max_limit) + ", got " + params.at("limit"));
  return filter;
}

Result<bool> AdminApi::limit_to_scope(const AdminRequest& r, AuditFilter& filter) const {
  if (r.scope.empty()) return true;
  auto portal = store_->load_snapshot();
  if (!portal) return Result<bool>::failure(portal.error());
  auto scope = scope_of(r.scope, portal.value());
  const auto& in_scope = scope.units();
  if (filter.unit_ids.empty()) {
    filter.unit_ids.assign(in_scope.begin(), in_scope.end());
  } else {
    auto& ids = filter.unit_ids;
    ids.erase(std::remove_if(ids.begin(), ids.end(), [&](RowId u) { return !in_scope.count(u); }),
              ids.end());
  }
  return !filter.unit_ids.empty();
}

namespace {

// How GET /v1/audit answers, apart from which records: a page of JSON or an Excel workbook, dates
// in the Gregorian or the ROC calendar.
struct AuditView {
  bool xlsx = false;
  bool roc = false;
};

// Takes format and roc out of the parameters, leaving the filters.
Result<AuditView> take_audit_view(std::map<std::string, std::string>& params) {
  AuditView view;
  if (auto format = params.extract("format")) {
    view.xlsx = format.mapped() == "xlsx";
    if (!view.xlsx && format.mapped() != "json")
      return Result<AuditView>::failure(StatusCode::invalid,
                                        "format: must be json or xlsx, got " + format.mapped());
  }
  if (auto roc = params.extract("roc")) {
    const auto& v = roc.mapped();
    view.roc = v.empty() || v == "1" || v == "true";
    if (!view.roc && v != "0" && v != "false")
      return Result<AuditView>::failure(StatusCode::invalid,
                                        "roc: must be true or false, got " + v);
  }
  return view;
}

// A JSON page: 100 records unless limit says otherwise, at most 1,000. A workbook is one download
// of up to 10,000 records.
constexpr std::size_t kAuditJsonPage = 100, kAuditJsonMax = 1000;
constexpr std::size_t kAuditWorkbookRows = 10000;

}  // namespace

AdminResponse AdminApi::audit(const AdminRequest& r) const {
  auto params = r.query;
  auto view = take_audit_view(params);
  if (!view) return AdminResponse::error(400, "bad_request", view.error());
  auto parsed = view->xlsx ? audit_filter(params, kAuditWorkbookRows, kAuditWorkbookRows)
                           : audit_filter(params, kAuditJsonPage, kAuditJsonMax);
  // An account the token's units never had reads as one without records, whether it exists
  // elsewhere or nowhere.
  bool unknown_account = !parsed && parsed.code() == StatusCode::not_found;
  if (!parsed && !(unknown_account && !r.scope.empty()))
    return AdminResponse::error(400, "bad_request", parsed.error());
  auto filter = parsed ? parsed.value() : AuditFilter{};
  auto reachable = limit_to_scope(r, filter);
  if (!reachable) return AdminResponse::error(500, "store_error", reachable.error());
  Result<std::vector<ChangeRecord>> records = std::vector<ChangeRecord>{};
  if (reachable.value() && !unknown_account) records = store_->query_records(filter);
  if (!records) return AdminResponse::error(500, "store_error", records.error());
  if (!view->xlsx)
    return AdminResponse::json(200, render_audit(records.value(), AuditFormat::json, view->roc));
  auto book = audit_workbook_bytes(records.value(), view->roc);
  if (!book) return AdminResponse::error(500, "export_error", book.error());
  auto answer = AdminResponse::text(200, std::move(book.value()), kXlsxContentType);
  answer.headers.push_back({"Content-Disposition", "attachment; filename=\"audit.xlsx\""});
  return answer;
}

}  // namespace ps
