// portalsync plan | sync --once: one engine run from the command line.
#include <chrono>
#include <cstdio>
#include <optional>

#include "core/json.h"
#include "core/log.h"
#include "core/plan_format.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/wiring/run_lock.h"
#include "daemon/wiring/runtime.h"
#include "daemon/wiring/stderr_logger.h"

namespace ps::cli {

namespace {

const char* kPlanUsage = R"(usage: portalsync plan [-c FILE] [--json] [--now TIME]

Reads the portal database and the managed subtree and prints what a sync would do: the rule
decisions (due reserved changes, idle-disable), then the directory operations in order, the rows
the directory cannot take and why, and whether the mass-change guard would hold the run.
Writes nothing anywhere.
  --json       one JSON object: {"operations": [{"op","kind","dn",...}], "rejected", "warnings",
               "summary", "decisions", "guard", "custody_breaches"}
  --now TIME   plan as if it were TIME (ISO 8601 with offset, or a date): "what runs on 12-01?"
  --ldif       the directory operations as an LDIF change file (ldapmodify -a -f FILE applies it)
)";

const char* kSyncUsage = R"(usage: portalsync sync --once [-c FILE] [--journal] [--json] [--quiet]

Plans and applies the changes to the directory, recording each operation in the change log.
  --once     run one sync and exit (the daemon, portalsyncd, runs continuously)
  --journal  read and plan only the objects the change journal names (what the portal changed
             since the last complete run), as portalsyncd does between full reconciles; without
             it, a full reconcile of both sides. Idle-disable is left to full runs
  --json     print the run summary as JSON
  --quiet    only warnings and errors on stderr
Exit status: 0 all applied; 2 some rows, operations or reserved changes failed, were rejected,
skipped or blocked (the rest applied); 3 the mass-change guard held destructive operations (see
portalsync approve); 1 fatal (docs/operations.md, "Exit status").
A custody breach (BREACH lines: shared accounts without a custodian in their unit, units without
an agency admin) does not change the exit status: the portal's change applied; hand custody over.
)";

struct Session {
  Config config;
  StderrLogger log;
  FixedClock clock{std::chrono::system_clock::now()};
  std::unique_ptr<PortalStore> store;
  std::unique_ptr<DirectoryConnector> directory;
};

std::unique_ptr<Session> open_session(const Args& args) {
  auto now = now_option(args);
  if (!now) return nullptr;
  auto config = load_config_or_report(args);
  if (!config) return nullptr;
  auto s = std::make_unique<Session>();
  s->clock.set(*now);
  s->config = std::move(*config);
  s->log.set_threshold(args.has("--quiet") ? LogLevel::warning
                                           : parse_log_level(s->config.log.level));
  auto store = open_portal_store(s->config);
  if (!store) {
    s->log.log(LogLevel::error, store.error());
    return nullptr;
  }
  s->store = std::move(store.value());
  auto directory = connect_directory(s->config);
  if (!directory) {
    s->log.log(LogLevel::error, directory.error());
    return nullptr;
  }
  s->directory = std::move(directory.value());
  return s;
}

void print_decisions(const std::vector<RuleDecision>& decisions) {
  for (const auto& d : decisions)
    std::printf("%-8s %-14s %s\n", std::string(to_string(d.state)).c_str(), d.actor.c_str(),
                d.outcome.c_str());
}

// Not failures: the portal's change applied, but custody must be handed over (docs/policies.md).
void print_breaches(const std::vector<CustodyBreach>& breaches) {
  for (const auto& b : breaches) std::printf("BREACH   %s\n", describe(b).c_str());
}

// What the guard did with the destructive operations: held them (hold_id), sent them under an
// approval (approved), or, for a plan, what a sync would do.
void print_guard(const GuardVerdict& g, RowId hold_id, const std::optional<Hold>& approved,
                 bool sync) {
  if (!g.trips) return;
  if (approved) {
    std::printf("APPROVED mass-change guard: %s. %s under hold %lld, approved by %s at %s.\n",
                g.reason.c_str(), sync ? "Sent" : "A sync sends them",
                static_cast<long long>(approved->id), approved->approved_by.c_str(),
                approved->approved_at.c_str());
    return;
  }
  std::printf("HELD     mass-change guard: %s.", g.reason.c_str());
  if (hold_id)
    std::printf(
        " Those operations were not sent; review them with `portalsync plan`, then "
        "`portalsync approve %lld`.\n",
        static_cast<long long>(hold_id));
  else
    std::printf(" A sync would hold them until approved.\n");
}

std::string preview_json(const RunPreview& p) {
  auto plan = plan_to_json(p.plan);
  JsonWriter w;
  w.begin_array();
  for (const auto& d : p.decisions)
    w.begin_object()
        .key("actor")
        .value(d.actor)
        .key("username")
        .value(d.username)
        .key("category")
        .value(d.category)
        .key("state")
        .value(to_string(d.state))
        .key("outcome")
        .value(d.outcome)
        .key("scheduled_change_id")
        .value(static_cast<std::int64_t>(d.scheduled_change_id))
        .end_object();
  w.end_array();
  JsonWriter g;
  g.begin_object()
      .key("trips")
      .value(p.guard.trips)
      .key("destructive")
      .value(p.guard.destructive)
      .key("managed")
      .value(p.guard.managed)
      .key("reason")
      .value(p.guard.reason)
      .key("approved_hold_id")
      .value(static_cast<std::int64_t>(p.approved_hold ? p.approved_hold->id : 0))
      .end_object();
  JsonWriter b;
  breaches_json(b, p.breaches);
  plan.pop_back();  // reopen the plan object to add the rule decisions, the guard, the breaches
  return plan + ",\"decisions\":" + w.str() + ",\"guard\":" + g.str() +
         ",\"custody_breaches\":" + b.str() + "}";
}

// Rule decisions are already in the log (stderr) of the run; the report adds what failed.
void print_sync_report(const SyncReport& r, double seconds) {
  print_guard(r.guard, r.hold_id, r.approved_hold, true);
  const auto& a = r.applied;
  for (std::size_t i = 0; i < r.plan.operations.size(); ++i)
    if (a.states[i] == OpState::failed)
      std::printf("failed   %s\n", escape_control_characters(a.errors[i]).c_str());
  // One line each: a reason quotes the row, whose name may hold a newline.
  for (const auto& rej : r.plan.rejected)
    std::printf("rejected %s\n", escape_control_characters(rej.reason).c_str());
  for (const auto& d : r.decisions)  // reserved changes that did not run
    if (d.scheduled_change_id != 0 && d.state != ChangeState::done)
      std::printf("%-8s scheduled change %lld: %s\n", std::string(to_string(d.state)).c_str(),
                  static_cast<long long>(d.scheduled_change_id), d.outcome.c_str());
  print_breaches(r.breaches);
  std::printf(
      "sync run %lld: %zu operations planned, %zu applied, %zu failed, %zu skipped, %zu held, "
      "%zu rejected rows, %zu reserved changes failed or blocked, %zu unchanged entries "
      "(%.1f s)\n",
      static_cast<long long>(r.run_id), r.plan.operations.size(), a.applied, a.failed, a.skipped,
      a.held, r.plan.rejected.size(), r.reservations_refused(), r.plan.summary.unchanged, seconds);
}

}  // namespace

int run_plan(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv,
                              {kConfigOption,
                               kNowOption,
                               {"--json", "", false},
                               {"--ldif", "", false},
                               {"--quiet", "-q", false}},
                              kPlanUsage, status);
  if (!args) return status;
  auto s = open_session(*args);
  if (!s) return kExitFatal;
  SyncEngine engine(*s->store, *s->directory, s->clock, s->log,
                    engine_options(s->config, cli_actor()));
  auto preview = engine.preview();
  if (!preview) {
    s->log.log(LogLevel::error, preview.error());
    return kExitFatal;
  }
  if (args->has("--json")) {
    std::printf("%s\n", preview_json(preview.value()).c_str());
    return kExitOk;
  }
  if (args->has("--ldif")) {
    auto ldif = plan_to_ldif(preview->plan);
    std::fwrite(ldif.data(), 1, ldif.size(), stdout);
    return kExitOk;
  }
  print_decisions(preview->decisions);
  auto text = plan_to_text(preview->plan);
  std::fwrite(text.data(), 1, text.size(), stdout);
  print_guard(preview->guard, 0, preview->approved_hold, false);
  print_breaches(preview->breaches);
  return kExitOk;
}

int run_sync(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv,
                              {kConfigOption,
                               {"--once", "", false},
                               {"--journal", "", false},
                               {"--json", "", false},
                               {"--quiet", "-q", false}},
                              kSyncUsage, status);
  if (!args) return status;
  if (!args->has("--once")) {
    std::fprintf(stderr,
                 "portalsync sync: add --once to run one sync (portalsyncd runs continuously)\n");
    return kExitFatal;
  }
  auto started = std::chrono::steady_clock::now();
  auto s = open_session(*args);
  if (!s) return kExitFatal;
  auto lock = RunLock::acquire(s->config.portal.database);
  if (!lock) {
    s->log.log(LogLevel::error, lock.error());
    return kExitFatal;
  }
  bool journal = args->has("--journal");
  auto options = engine_options(s->config, cli_actor());
  // Idle-disable looks at every account: like portalsyncd, a journal run leaves it to full runs.
  if (journal) options.run_idle_rule = false;
  SyncEngine engine(*s->store, *s->directory, s->clock, s->log, options);
  auto report = journal ? engine.sync_journal() : engine.sync();
  if (!report) {
    s->log.log(LogLevel::error, "sync stopped: " + report.error());
    return kExitFatal;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (args->has("--json"))
    std::printf("%s\n", summary_json(report.value()).c_str());
  else
    print_sync_report(report.value(), seconds);
  if (report->held()) return kExitHeld;
  return report->complete() ? kExitOk : kExitPartial;
}

}  // namespace ps::cli
