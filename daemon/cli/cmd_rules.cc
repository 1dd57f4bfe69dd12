// portalsync idle report | custody transfer | role set | approve: the lifecycle rules by hand.
#include <chrono>
#include <cstdio>

#include "core/custody_breach.h"
#include "core/idle_json.h"
#include "core/json.h"
#include "core/lifecycle.h"
#include "core/portal_lookup.h"
#include "daemon/actions/custody.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

namespace {

void print_idle_list(const char* heading, const std::vector<IdleAccount>& list, bool with_block) {
  std::printf("%s (%zu)\n", heading, list.size());
  for (const auto& a : list)
    std::printf("  %-24s idle %4ld days  %s %s  disable at %s  agency %s%s%s\n", a.username.c_str(),
                a.days_idle, a.baseline_source.c_str(), a.baseline.c_str(),
                format_utc(a.disable_at).c_str(), a.agency.c_str(),
                with_block ? "\n    blocked: " : "", with_block ? a.blocked_by.c_str() : "");
}

}  // namespace

int run_idle(const Argv& argv) {
  static const char* usage = R"(usage: portalsync idle report [--now TIME] [--json] [-c FILE]

Lists the enabled accounts the idle-disable rule (policies.idle_disable) disables at the next sync,
those it will disable within warn_days, and those it may not disable because of a handover check,
with why. --now previews another moment. Writes nothing.
)";
  int status = kExitOk;
  auto args =
      parse_or_report(argv, {kConfigOption, kNowOption, {"--json", "", false}}, usage, status);
  if (!args) return status;
  if (args->positionals() != std::vector<std::string>{"report"}) {
    std::fputs(usage, stderr);
    return kExitFatal;
  }
  auto now = now_option(*args);
  if (!now) return kExitFatal;
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  const auto& policy = portal->config.policies.idle_disable;
  auto a = assess_idle(portal->snapshot, policy, *now);
  if (args->has("--json")) {
    JsonWriter w;
    w.begin_object().key("now").value(format_utc(*now)).key("after_days").value(policy.after_days);
    idle_json(w, "due", a.due);
    idle_json(w, "blocked", a.blocked);
    idle_json(w, "upcoming", a.upcoming);
    w.key("no_baseline").strings(a.no_baseline).end_object();
    std::printf("%s\n", w.str().c_str());
    return kExitOk;
  }
  std::printf("idle report at %s (disable after %d days without sign-in%s)\n",
              format_utc(*now).c_str(), policy.after_days, policy.enabled ? "" : "; rule is OFF");
  print_idle_list("disabled at the next sync", a.due, false);
  print_idle_list("due but blocked by a handover check", a.blocked, true);
  std::printf("(within %d days) ", policy.warn_days);
  print_idle_list("will be disabled soon", a.upcoming, false);
  if (!a.no_baseline.empty())
    std::printf("never judged (no last_login_at nor activated_at): %zu accounts\n",
                a.no_baseline.size());
  return kExitOk;
}

// custody list: every shared account with its custodian, then the custody breaches as the
// portal stands now (core/custody_breach.h); --orphaned: only the breaches.
int list_custody(const Args& args, const PortalSnapshot& portal, PortalStore& store) {
  auto watch = store.load_custody_watch();
  if (!watch) {
    std::fprintf(stderr, "portalsync custody list: %s\n", watch.error().c_str());
    return kExitFatal;
  }
  auto breaches = track_breaches(watch->open, custody_breaches(portal, watch->admin_units),
                                 format_utc(std::chrono::system_clock::now()))
                      .open;
  bool orphaned = args.has("--orphaned");
  if (args.has("--json")) {
    JsonWriter w;
    w.begin_object().key("custody_breaches");
    breaches_json(w, breaches);
    if (!orphaned) {
      w.key("shared_accounts").begin_array();
      for (const auto& s : portal.shared_accounts)
        w.begin_object()
            .key("username")
            .value(s.username)
            .key("kind")
            .value(s.kind)
            .key("status")
            .value(s.status)
            .key("unit")
            .value(unit_name(portal, s.org_unit_id))
            .key("custodian")
            .value(account_name(portal, s.custodian_id))
            .end_object();
      w.end_array();
    }
    std::printf("%s\n", w.end_object().str().c_str());
    return kExitOk;
  }
  if (!orphaned)
    for (const auto& s : portal.shared_accounts)
      std::printf("%-24s %-6s %-8s unit %-16s custodian %s\n", s.username.c_str(), s.kind.c_str(),
                  s.status.c_str(), unit_name(portal, s.org_unit_id).c_str(),
                  account_name(portal, s.custodian_id).c_str());
  std::printf("custody breaches (%zu)\n", breaches.size());
  for (const auto& b : breaches)
    std::printf("  BREACH %s (since %s)\n", describe(b).c_str(), b.since.c_str());
  return kExitOk;
}

int run_custody(const Argv& argv) {
  static const char* usage = R"(usage: portalsync custody transfer SHARED --to USERNAME [-c FILE]
       portalsync custody list [--orphaned] [--json] [-c FILE]

transfer: hands a shared (agency or mail) account to a new custodian: an enabled account of the
same unit. Recorded in the change log.
list: every shared account with its custodian, then the custody breaches as the portal stands
now: shared accounts without an enabled custodian in their unit, and units left without an
enabled agency admin (docs/policies.md). --orphaned: only the breaches. Writes nothing.
)";
  int status = kExitOk;
  auto args = parse_or_report(
      argv, {kConfigOption, {"--to", "", true}, {"--orphaned", "", false}, {"--json", "", false}},
      usage, status);
  if (!args) return status;
  const auto& pos = args->positionals();
  bool list = pos.size() == 1 && pos[0] == "list" && !args->value("--to");
  if (!list && (pos.size() != 2 || pos[0] != "transfer" || !args->value("--to"))) {
    std::fputs(usage, stderr);
    return kExitFatal;
  }
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  if (list) return list_custody(*args, portal->snapshot, *portal->store);
  auto done = actions::transfer_custody(*portal->store, portal->snapshot, pos[1],
                                        *args->value("--to"), cli_actor());
  if (!done) {
    bool refused = done.failure().refusal != actions::Refusal::failed;
    std::fprintf(stderr, "portalsync custody transfer: %s%s\n", refused ? "refused: " : "",
                 done.error().c_str());
    return kExitFatal;
  }
  std::printf("%s\n", done->c_str());
  return kExitOk;
}

int run_role(const Argv& argv) {
  static const char* usage = R"(usage: portalsync role set USERNAME ROLE [--reason TEXT] [-c FILE]

Sets an account's role (user, agency_admin, system_admin) in the portal tables. Demoting the only
agency admin of a unit is refused. Recorded in the change log.
)";
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption, {"--reason", "", true}}, usage, status);
  if (!args) return status;
  const auto& pos = args->positionals();
  if (pos.size() != 3 || pos[0] != "set") {
    std::fputs(usage, stderr);
    return kExitFatal;
  }
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  const auto* account = find_account_by_username(portal->snapshot, pos[1]);
  if (!account) {
    std::fprintf(stderr, "portalsync role set: no account named \"%s\"\n", pos[1].c_str());
    return kExitFatal;
  }
  ScheduledChange c;
  c.account_id = account->id;
  c.kind = std::string(to_string(ChangeKind::set_role));
  c.target_role = pos[2];
  c.reason = args->value_or("--reason", "set by hand");
  auto d = decide_change(portal->snapshot, c);
  d.actor = cli_actor();
  auto record = decision_record(d, account, format_utc(std::chrono::system_clock::now()));
  if (auto st = portal->store->record_decision(d, record); !st) {
    std::fprintf(stderr, "portalsync role set: %s\n", st.message().c_str());
    return kExitFatal;
  }
  std::printf("%s: %s\n", std::string(to_string(d.state)).c_str(), d.outcome.c_str());
  return d.state == ChangeState::done ? kExitOk : kExitFatal;
}

int run_approve(const Argv& argv) {
  static const char* usage = R"(usage: portalsync approve ID [-c FILE]
       portalsync approve --list [-c FILE]

Lets a run the mass-change guard held send its destructive operations: the next sync applies them,
once, if the portal still asks for exactly the same set (by its SHA-256). Otherwise the approval
expires and a new hold is made; a run that does not trip the guard expires every open hold, so the
same mass change made again later needs a new approval. --list shows the holds.
)";
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption, {"--list", "", false}}, usage, status);
  if (!args) return status;
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  auto holds = portal->store->load_holds();
  if (!holds) {
    std::fprintf(stderr, "portalsync approve: %s\n", holds.error().c_str());
    return kExitFatal;
  }
  if (args->has("--list")) {
    for (const auto& h : holds.value())
      std::printf("%-4lld %-9s %s  %s%s\n", static_cast<long long>(h.id),
                  std::string(to_string(h.state)).c_str(), h.created_at.c_str(), h.reason.c_str(),
                  h.approved_by.empty() ? "" : ("  approved by " + h.approved_by).c_str());
    return kExitOk;
  }
  if (args->positionals().size() != 1) {
    std::fputs(usage, stderr);
    return kExitFatal;
  }
  auto id = std::atoll(args->positionals()[0].c_str());
  for (auto h : holds.value()) {
    if (h.id != id) continue;
    if (h.state != HoldState::held) {
      std::fprintf(stderr, "portalsync approve: hold %lld is %s, only a held run can be approved\n",
                   static_cast<long long>(id), std::string(to_string(h.state)).c_str());
      return kExitFatal;
    }
    h.state = HoldState::approved;
    h.approved_by = cli_actor();
    h.approved_at = format_utc(std::chrono::system_clock::now());
    auto record = cli_record("approve", "approval", "hold " + std::to_string(id), id);
    record.reason = h.reason;
    if (auto saved = portal->store->save_hold(h, record); !saved) {
      std::fprintf(stderr, "portalsync approve: %s\n", saved.error().c_str());
      return kExitFatal;
    }
    std::printf(
        "hold %lld approved: the next sync sends its %zu destructive operations, once, if the "
        "portal still asks for exactly that set (a run that does not trip the guard expires "
        "the approval)\n",
        static_cast<long long>(id), h.destructive);
    return kExitOk;
  }
  std::fprintf(stderr, "portalsync approve: no hold %lld (see portalsync approve --list)\n",
               static_cast<long long>(id));
  return kExitFatal;
}

}  // namespace ps::cli
