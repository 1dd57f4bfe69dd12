#include "core/engine.h"

#include <algorithm>

#include <chrono>
#include <cmath>
#include <future>

#include "core/agency_groups.h"
#include "core/dn.h"
#include "core/json.h"
#include "core/plan_scope.h"
#include "core/planner.h"
#include "core/scoped_links.h"
#include "core/text.h"

namespace ps {

SyncEngine::SyncEngine(PortalStore& store, DirectoryConnector& directory, const Clock& clock,
                       Logger& log, EngineOptions options)
    : store_(store),
      directory_(directory),
      clock_(clock),
      log_(log),
      options_(std::move(options)) {}

std::vector<RuleDecision> SyncEngine::decide_rules(PortalSnapshot& working,
                                                   const std::vector<ScheduledChange>& changes,
                                                   std::vector<Account>* originals) const {
  auto decisions = decide_scheduled_changes(working, due_changes(changes, clock_.now()), originals);
  if (options_.run_idle_rule) {
    auto idle = decide_idle_disables(working, options_.idle, clock_.now(), originals);
    decisions.insert(decisions.end(), idle.begin(), idle.end());
  }
  return decisions;
}

namespace {

// "<what> in 1.23 s" at debug level: where a long run spends its time.
class PhaseTimer {
 public:
  explicit PhaseTimer(Logger& log) : log_(log), start_(std::chrono::steady_clock::now()) {}
  void lap(const std::string& what) {
    auto now = std::chrono::steady_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
    log_.log(LogLevel::debug, what + " in " + std::to_string(ms) + " ms");
    start_ = now;
  }

 private:
  Logger& log_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

void SyncEngine::log_frozen(const Plan& plan) {
  for (const auto& f : plan.frozen)
    log_.log(LogLevel::warning,
             "kept as it is: " + f.dn +
                 (f.below ? " and the " + std::to_string(f.below) + " entries below it" : "") +
                 " (" + f.reason + ")");
}

// The directory is read on a second thread while the portal is loaded and the rules run: both
// reads block in their libraries (libldap, SQLite) and on two cores they overlap. A std::async
// future waits for its thread when destroyed, so an early return never leaves the read running.
std::future<Result<DirectoryReadResult>> SyncEngine::start_directory_read() {
  return std::async(std::launch::async, [this] {
    return directory_.read_subtree(
        {options_.mapping.base_dn, managed_read_attributes(options_.mapping)});
  });
}

// The same for a scoped run's units: at 2,000 units their read took as long as the partial read
// of the portal, one after the other. The connector is used by one thread at a time: the run
// waits for this read before its next directory call (plan_changes, or after it).
std::future<Result<DirectoryReadResult>> SyncEngine::start_unit_read() {
  return std::async(std::launch::async, [this] {
    return directory_.read_units(selective_read_spec(options_.mapping, {}, {}));
  });
}

Status SyncEngine::prepare_locks(bool create, std::int64_t run_id, LatencyHistogram* latency) {
  const auto& m = options_.mapping;
  if (m.flavor != Flavor::openldap || m.lock_policy_dn.empty()) return Status::ok();
  LockPolicySpec spec{m.lock_policy_dn, m.base_dn, create};
  auto report = directory_.prepare_lock_policy(spec);
  if (report && report->base_missing) {
    if (auto st = create_base(run_id, latency); !st) return st;
    report = directory_.prepare_lock_policy(spec);
  }
  if (!report) return Status::error(report.error());
  if (report->base_missing)
    return Status::error("the lock policy " + m.lock_policy_dn +
                         " cannot be created: " + m.base_dn + " does not exist");
  for (const auto& n : report->notes) log_.log(LogLevel::info, n);
  return Status::ok();
}

// The same operation a plan makes for a missing base (its first), sent on its own and recorded
// in the change log like any other, so that the lock policy can live below it.
Status SyncEngine::create_base(std::int64_t run_id, LatencyHistogram* latency) {
  auto base = parse_dn(options_.mapping.base_dn);
  if (!base || base->rdns.empty() || !iequals(base->rdns[0].avas[0].type, "ou"))
    return Status::error("base " + options_.mapping.base_dn +
                         " does not exist and is not an ou=... entry portalsync can create; "
                         "create it first");
  const auto& value = base->rdns[0].avas[0].value;
  Plan plan;
  plan.base_dn = options_.mapping.base_dn;
  Operation op;
  op.type = OpType::add;
  op.kind = ObjectKind::org_unit;
  op.subject = value;
  op.dn = options_.mapping.base_dn;
  op.reason = "the managed subtree does not exist yet";
  EntryAttributes::Builder b;
  b.begin_attribute("objectClass");
  for (const char* c : {"top", "organizationalUnit"}) b.add_value(c);
  b.begin_attribute("ou");
  b.add_value(value);
  op.added = b.build();
  plan.operations.push_back(std::move(op));
  ApplyOptions apply;
  apply.window = 1;
  apply.run_id = run_id;
  apply.actor = options_.actor;
  apply.correlation_id = "run-" + std::to_string(run_id);
  auto applied = apply_plan(plan, directory_, store_, clock_, log_, apply);
  if (latency) latency->merge(applied.latency);
  if (!applied.fatal.is_ok()) return applied.fatal;
  if (applied.applied != 1)
    return Status::error(applied.errors.empty() || applied.errors[0].empty()
                             ? "add " + options_.mapping.base_dn + " was not applied"
                             : applied.errors[0]);
  return Status::ok();
}

Result<Plan> SyncEngine::plan_against_directory(const PortalSnapshot& portal,
                                                std::future<Result<DirectoryReadResult>>& read) {
  PhaseTimer timer(log_);
  auto links = store_.load_links();
  timer.lap("identity links loaded");
  if (!links) return Error{links.error()};
  log_.log(LogLevel::info, "portal: " + std::to_string(portal.units.size()) + " units, " +
                               std::to_string(portal.accounts.size()) + " accounts");
  auto valid = validate_portal(portal, options_.mapping);  // while the read goes on
  timer.lap("portal validated");
  auto actual = read.get();
  if (!actual) return Error{actual.error()};
  timer.lap("directory read (waited)");
  log_.log(LogLevel::info, "directory: " + std::to_string(actual->entries.size()) +
                               " entries below " + options_.mapping.base_dn);
  auto plan = plan_sync(portal, links.value(), actual.value(), options_.mapping, std::move(valid));
  timer.lap("planned");
  plan_inputs_ = PlanInputs{std::move(links.value()), std::move(actual.value()), std::nullopt};
  for (const auto& r : plan.rejected) log_.log(LogLevel::warning, "rejected " + r.reason);
  for (const auto& w : plan.warnings) log_.log(LogLevel::warning, w);
  log_frozen(plan);
  return plan;
}

namespace {

// The journal's objects, and those whose operations failed, were skipped or held before (not
// quarantined): a scoped run tries them again, as the next full run would, so the journal moving
// past them forgets nothing. A unit or group calls for a full run.
AffectedObjects with_retries(AffectedObjects changes, const std::vector<QuarantineEntry>& tracked) {
  for (const auto& q : tracked) {
    if (q.quarantined) continue;
    if (q.kind == ObjectKind::account) changes.accounts.insert(q.portal_id);
    if (q.kind == ObjectKind::shared_account) changes.shared_accounts.insert(q.portal_id);
    if (q.kind == ObjectKind::org_unit) changes.units.insert(q.portal_id);
    if (q.kind == ObjectKind::group) changes.system_rows.insert(q.portal_id);
  }
  return changes;
}

// The user entries a scoped plan needs: by anchor where linked, by name for the rest.
SelectiveReadSpec read_spec_for(const PlanScope& scope, const std::vector<IdentityLink>& links,
                                const PortalSnapshot& portal, const MappingOptions& mapping) {
  std::vector<std::string> anchors, usernames;
  for (const auto& l : links)
    if ((l.kind == ObjectKind::account && scope.accounts.count(l.portal_id)) ||
        (l.kind == ObjectKind::shared_account && scope.shared_accounts.count(l.portal_id)))
      anchors.push_back(l.anchor);
  for (const auto& a : portal.accounts)
    if (scope.accounts.count(a.id)) usernames.emplace_back(a.username());
  for (const auto& s : portal.shared_accounts)
    if (scope.shared_accounts.count(s.id)) usernames.push_back(s.username);
  // Every group's own DN may be its placeholder member (an empty groupOfNames).
  auto groups = portal.systems;
  for (auto& g : agency_groups(portal, mapping.agency_groups)) groups.push_back(std::move(g));
  return selective_read_spec(mapping, std::move(anchors), std::move(usernames), groups);
}

// Whether a scoped run of `changes` can do with a partial snapshot: only when the rules have
// nothing to decide (they look at every account) and the changes do not already call for a full
// run (scope_of_changes).
bool partial_snapshot_will_do(const AffectedObjects& changes,
                              const std::vector<ScheduledChange>& scheduled, bool idle_rule,
                              TimePoint now) {
  return !idle_rule && due_changes(scheduled, now).empty() && !changes.unknown_table &&
         changes.units.empty() && changes.system_rows.empty();
}

PartialSnapshotRequest partial_request(const AffectedObjects& changes) {
  return {changes.accounts, changes.shared_accounts, changes.unit_grants};
}

// The portal's other rejected rows (and every unit or group) are the full reconcile's to report,
// not every scoped run's.
bool rejection_in_scope(const Rejection& r, const PlanScope& scope) {
  if (r.kind == ObjectKind::account) return scope.accounts.count(r.portal_id) > 0;
  if (r.kind == ObjectKind::shared_account) return scope.shared_accounts.count(r.portal_id) > 0;
  return false;
}

}  // namespace

// An entry the read returned that no loaded link names may be linked to a row outside the scope
// (found by a scoped row's username): its link is loaded too, so the plan knows the entry is owned.
Status SyncEngine::add_links_of_read(LinkSelection& links, const DirectoryReadResult& read) {
  LinkRequest request;
  request.anchors = unlinked_anchors(read, links.links);
  if (request.anchors.empty()) return Status::ok();
  auto more = store_.load_links_for(request);
  if (!more) return Status::error(more.error());
  merge_links(links.links, more->links);
  return Status::ok();
}

Result<std::optional<Plan>> SyncEngine::plan_changes(
    const PortalSnapshot& portal, const AffectedObjects& changes, SyncReport& report,
    std::future<Result<DirectoryReadResult>>& units) {
  std::vector<RowId> decided;
  for (const auto& d : report.decisions)
    if (d.changes_account()) decided.push_back(d.account_id);
  auto choice = scope_of_changes(changes, decided, portal);
  if (!choice.scope) {
    report.full_because = choice.full_because;
    return std::optional<Plan>();
  }
  PlanScope& scope = *choice.scope;
  if (scope.size() == 0) {  // a reserved change was added or edited, say: nothing to read
    Plan nothing;
    nothing.base_dn = options_.mapping.base_dn;
    nothing.scoped = true;
    return std::optional<Plan>(std::move(nothing));
  }
  PhaseTimer timer(log_);
  LinkRequest request;
  request.accounts.insert(scope.accounts.begin(), scope.accounts.end());
  auto links = store_.load_links_for(request);
  if (!links) return Error{links.error()};
  scope.linked_accounts = links->account_links;
  timer.lap("identity links of the scope loaded (" + std::to_string(links->links.size()) + ")");
  auto spec = read_spec_for(scope, links->links, portal, options_.mapping);
  if (units.valid()) {
    auto read_units = units.get();
    if (!read_units) return Error{read_units.error()};
    spec.units = std::move(read_units.value());
  }
  auto read = directory_.read_selected(spec);
  if (!read) return Error{read.error()};
  if (auto st = add_links_of_read(links.value(), read.value()); !st) return Error{st.message()};
  timer.lap("selective directory read");
  auto plan = plan_scoped(portal, links->links, read.value(), options_.mapping, scope);
  if (!plan.read_whole.empty() && plan.needs_full.empty()) {  // once: the groups come back whole
    spec.whole_groups = plan.read_whole;
    for (auto& dn : plan.read_whole) scope.whole_groups.insert(normalize_dn(dn));
    read = directory_.read_selected(spec);
    if (!read) return Error{read.error()};
    if (auto st = add_links_of_read(links.value(), read.value()); !st) return Error{st.message()};
    plan = plan_scoped(portal, links->links, read.value(), options_.mapping, scope);
  }
  timer.lap("planned in scope");
  if (!plan.needs_full.empty()) {
    report.full_because = plan.needs_full;
    return std::optional<Plan>();
  }
  auto entries_read = read->entries.size();  // before the read is moved into plan_inputs_
  plan_inputs_ = PlanInputs{std::move(links->links), std::move(read.value()), scope};
  std::erase_if(plan.rejected, [&](const Rejection& r) { return !rejection_in_scope(r, scope); });
  for (const auto& r : plan.rejected) log_.log(LogLevel::warning, "rejected " + r.reason);
  for (const auto& w : plan.warnings) log_.log(LogLevel::warning, w);  // as full runs do
  log_frozen(plan);
  report.scope = scope.size();
  log_.log(LogLevel::info, "scoped run: " + std::to_string(scope.size()) + " objects, " +
                               std::to_string(entries_read) + " entries read");
  return std::optional<Plan>(std::move(plan));
}

Result<RunPreview> SyncEngine::preview() {
  if (auto st = prepare_locks(false); !st) return Error{st.message()};
  PhaseTimer timer(log_);
  auto read = start_directory_read();
  auto portal = store_.load_snapshot();
  timer.lap("portal loaded");
  if (!portal) return Error{portal.error()};
  if (auto st = number_posix_rows(portal.value(), false); !st) return Error{st.message()};
  auto changes = store_.load_scheduled_changes();
  if (!changes) return Error{changes.error()};
  RunPreview out;
  out.decisions = decide_rules(portal.value(), changes.value());
  auto plan = plan_against_directory(portal.value(), read);
  if (!plan) return Error{plan.error()};
  out.plan = std::move(plan.value());
  out.guard = evaluate_mass_change(out.plan, options_.guard);
  if (out.guard.trips) {
    auto holds = store_.load_holds();
    if (!holds) return Error{holds.error()};
    for (const auto& h : holds.value())
      if (h.state == HoldState::approved && h.fingerprint == out.guard.fingerprint)
        out.approved_hold = h;
    if (!out.approved_hold) hold_and_replan(out.plan, portal.value());
  }
  plan_inputs_.reset();
  if (auto q = hold_quarantine(out.plan); !q) return Error{q.error()};
  out.breaches = preview_custody(portal.value());
  return out;
}

Result<SyncReport> SyncEngine::sync() {
  auto head = store_.journal_head();
  if (!head) return Error{head.error()};
  return run(nullptr, head.value());
}

Result<SyncReport> SyncEngine::sync_changes(const AffectedObjects& changes) {
  return run(&changes, std::nullopt);
}

// Runs trim what they covered, so the journal holds just what is not yet in the directory.
Result<SyncReport> SyncEngine::sync_journal() {
  auto head = store_.journal_head();
  if (!head) return Error{head.error()};
  auto entries = store_.read_journal(0, kMaxScopedJournalEntries + 1);
  if (!entries) return Error{entries.error()};
  std::erase_if(entries.value(), [&](const JournalEntry& e) { return e.id > head.value(); });
  if (entries->size() > static_cast<std::size_t>(kMaxScopedJournalEntries)) {
    auto why = "more than " + std::to_string(kMaxScopedJournalEntries) + " journal entries";
    log_.log(LogLevel::info, "full run: " + why);
    auto report = run(nullptr, head.value());
    if (report) report->full_because = why;
    return report;
  }
  auto changes = affected_objects(entries.value());
  return run(&changes, head.value());
}

Result<SyncReport> SyncEngine::run(const AffectedObjects* changes,
                                   std::optional<std::int64_t> journal_head) {
  std::int64_t run_id = 0;
  try {
    return run_recorded(changes, journal_head, run_id);
  } catch (const std::exception& e) {
    auto message = std::string("internal error: ") + e.what();
    if (run_id)
      store_.finish_run(run_id, format_utc(clock_.now()), "failed",
                        "{\"error\":" + json_quote(message) + "}");
    return Error{message};
  }
}

Result<SyncReport> SyncEngine::run_recorded(const AffectedObjects* changes,
                                            std::optional<std::int64_t> journal_head,
                                            std::int64_t& run_id) {
  SyncReport report;
  PhaseTimer begun(log_);
  auto run = store_.begin_run(options_.actor, format_utc(clock_.now()), "sync");
  if (!run) return Error{run.error()};
  report.run_id = run_id = run.value();
  auto fail = [&](const std::string& message) -> Result<SyncReport> {
    store_.finish_run(report.run_id, format_utc(clock_.now()), "failed",
                      "{\"error\":" + json_quote(message) + "}");
    return Error{message};
  };
  auto interrupted = store_.mark_interrupted(
      report.run_id,
      "outcome unknown: the run that sent it ended before recording the result; run " +
          std::to_string(report.run_id) +
          " re-read the directory and planned from "
          "what it found");
  if (interrupted && interrupted.value() > 0) {
    report.interrupted_records = interrupted.value();
    log_.log(LogLevel::warning, std::to_string(interrupted.value()) +
                                    " change-log records of an interrupted run marked unknown");
  }

  // Before anything is read or written: a lock this run writes must stop binds.
  LatencyHistogram base_latency;  // a base created for the lock policy: its add's latency
  if (auto st = prepare_locks(true, report.run_id, &base_latency); !st) return fail(st.message());
  begun.lap("run begun");
  // A full run reads the directory while the portal loads; a scoped one needs the portal first,
  // but for its units.
  std::future<Result<DirectoryReadResult>> read, units;
  if (!changes)
    read = start_directory_read();
  else if (directory_.reads_units_apart())
    units = start_unit_read();
  PhaseTimer timer(log_);
  auto scheduled = store_.load_scheduled_changes();
  if (!scheduled) return fail(scheduled.error());
  std::optional<AffectedObjects> scoped_changes;  // the changes and the objects to retry
  if (changes) {
    auto tracked = store_.load_quarantine();
    if (!tracked) return fail(tracked.error());
    scoped_changes = with_retries(*changes, tracked.value());
  }
  auto portal = scoped_changes && partial_snapshot_will_do(*scoped_changes, scheduled.value(),
                                                           options_.run_idle_rule, clock_.now())
                    ? store_.load_partial_snapshot(partial_request(*scoped_changes))
                    : store_.load_snapshot();
  if (!portal) return fail(portal.error());
  if (auto st = number_posix_rows(portal.value(), true); !st) return fail(st.message());
  timer.lap(portal->partial ? "portal loaded in part" : "portal loaded");
  // The rules decide on the loaded snapshot itself (a copy would double the largest structure);
  // the accounts they change are kept as they were, for the change log.
  std::vector<Account> originals;
  report.decisions = decide_rules(portal.value(), scheduled.value(), &originals);
  if (auto st = record_decisions(report, portal.value(), originals, report.decisions); !st)
    return fail(st.message());
  // The portal tables now hold the rules' changes: plan from what is stored, not from the copy.
  if (!report.decisions.empty()) {
    portal = store_.load_snapshot();
    if (!portal) return fail(portal.error());
  }

  std::optional<Plan> scoped;
  if (scoped_changes) {
    auto planned = plan_changes(portal.value(), *scoped_changes, report, units);
    if (units.valid()) units.wait();  // not used (nothing to read): the directory is free again
    if (!planned) return fail(planned.error());
    scoped = std::move(planned.value());
    if (!scoped) {
      log_.log(LogLevel::info, "full run: " + report.full_because);
      read = start_directory_read();
      if (portal->partial) portal = store_.load_snapshot();
      if (!portal) return fail(portal.error());
      if (auto st = number_posix_rows(portal.value(), true); !st) return fail(st.message());
    }
  }
  if (scoped) {
    report.plan = std::move(*scoped);
  } else {
    auto planned = plan_against_directory(portal.value(), read);
    if (!planned) return fail(planned.error());
    report.plan = std::move(planned.value());
  }
  watch_custody(report, portal.value());
  auto guarded = guard_mass_change(report);
  if (report.held()) hold_and_replan(report.plan, portal.value());
  plan_inputs_.reset();
  portal.value() = PortalSnapshot{};  // planned: free the snapshot before applying
  if (!guarded) return fail(guarded.message());
  auto quarantine = hold_quarantine(report.plan);
  if (!quarantine) return fail(quarantine.error());
  // Adopted entries are linked before anything is sent: they exist whatever happens next.
  if (auto st = store_.save_links(report.plan.adopted, {}); !st) return fail(st.message());
  log_.log(LogLevel::info, std::to_string(report.plan.operations.size()) + " operations planned");

  ApplyOptions apply;
  apply.window = options_.window;
  apply.stop_requested = options_.stop_requested;
  apply.lease = options_.lease;
  apply.run_id = report.run_id;
  // The plan carries the portal's changes: the portal is their actor. Who ran the sync is the
  // run's record (ps_runs.actor, by run_id).
  apply.actor = std::string(kPortalActor);
  apply.correlation_id = "run-" + std::to_string(report.run_id);
  apply.masked_attribute = options_.mapping.national_id_attribute;
  PhaseTimer applying(log_);
  report.applied = apply_plan(report.plan, directory_, store_, clock_, log_, apply);
  applying.lap("applied (" + std::to_string(std::lround(report.applied.change_log_seconds * 1000)) +
               " ms of it waiting for the change log)");
  report.applied.latency.merge(base_latency);
  if (auto st = store_.save_links(report.applied.new_links, report.plan.stale_links); !st)
    log_.log(LogLevel::error, st.message());
  track_quarantine(report, std::move(quarantine.value()));

  const char* status = !report.applied.fatal.is_ok() ? "failed"
                       : report.complete()           ? "ok"
                                                     : "partial";
  store_.finish_run(report.run_id, format_utc(clock_.now()), status, summary_json(report));
  if (!report.applied.fatal.is_ok()) return Error{report.applied.fatal.message()};
  if (journal_head && !report.applied.stopped) {
    report.journal_covered = *journal_head;
    if (auto trimmed = store_.trim_journal(*journal_head); !trimmed)
      log_.log(LogLevel::warning, trimmed.error());
  }
  applying.lap("recorded");
  return report;
}

Result<std::vector<QuarantineEntry>> SyncEngine::hold_quarantine(Plan& plan) {
  auto entries = store_.load_quarantine();
  if (!entries) return entries;
  if (auto held = hold_quarantined(plan, entries.value()); held > 0)
    log_.log(LogLevel::warning, std::to_string(held) +
                                    " operations of quarantined objects held; see `portalsync "
                                    "quarantine list`");
  return entries;
}

void SyncEngine::track_quarantine(SyncReport& report, std::vector<QuarantineEntry> before) {
  auto after = track_failures(before, report.plan, report.applied, options_.quarantine,
                              format_utc(clock_.now()));
  std::vector<ChangeRecord> records;
  for (const auto& e : after) {
    if (!e.quarantined) continue;
    ++report.quarantined;
    bool is_new = std::none_of(before.begin(), before.end(), [&](const QuarantineEntry& b) {
      return b.kind == e.kind && b.portal_id == e.portal_id && b.quarantined;
    });
    if (!is_new) continue;
    log_.log(LogLevel::error, std::string(to_string(e.kind)) + " " + std::to_string(e.portal_id) +
                                  " (" + e.subject + ") quarantined after " +
                                  std::to_string(e.failures) + " failed runs: " + e.last_error);
    auto record = quarantine_record(e, false, planned_unit(report.plan, e.kind, e.portal_id),
                                    options_.actor, format_utc(clock_.now()));
    record.run_id = report.run_id;
    records.push_back(std::move(record));
  }
  if (auto st = store_.save_quarantine(after, records); !st)
    log_.log(LogLevel::error, st.message());
}

namespace {

// The account as loaded, before any decision changed it.
const Account* account_before(RowId id, const PortalSnapshot& decided,
                              const std::vector<Account>& originals) {
  for (const auto& a : originals)
    if (a.id == id) return &a;
  const Account* account = nullptr;
  for (const auto& a : decided.accounts)
    if (a.id == id) account = &a;
  return account;
}

}  // namespace

Status SyncEngine::record_decisions(const SyncReport& report, const PortalSnapshot& decided,
                                    const std::vector<Account>& originals,
                                    const std::vector<RuleDecision>& decisions) {
  auto at = format_utc(clock_.now());
  for (const auto& d : decisions) {
    const Account* account = account_before(d.account_id, decided, originals);
    auto record = decision_record(d, account, at);
    record.run_id = report.run_id;
    record.correlation_id = "run-" + std::to_string(report.run_id);
    auto level = d.state == ChangeState::done ? LogLevel::info : LogLevel::warning;
    log_.log(level, d.actor + " " + std::string(to_string(d.state)) + ": " + d.outcome);
    // Each decision is its own transaction: one that cannot be written (its scheduled row was
    // cancelled meanwhile, say) changed nothing and is decided again by the next run.
    if (auto st = store_.record_decision(d, record); !st)
      log_.log(LogLevel::error,
               "decision on " + d.username + " not recorded, so not carried out: " + st.message());
  }
  return Status::ok();
}

// A tripped guard holds the destructive operations back unless an operator approved exactly this
// set (its SHA-256); an approval releases the set once. Every other open hold expires: one whose
// set no longer matches the portal, and all of them in a run the guard lets through, so a set that
// comes back later is held anew and needs a new approval.
Status SyncEngine::guard_mass_change(SyncReport& report) {
  report.guard = evaluate_mass_change(report.plan, options_.guard);
  auto holds = store_.load_holds();
  if (!holds) return holds.status();
  auto at = format_utc(clock_.now());
  auto record_for = [&](const Hold& h, const std::string& operation, const std::string& result) {
    ChangeRecord r;
    r.run_id = report.run_id;
    r.at = at;
    r.actor = options_.actor;
    r.operation = operation;
    r.kind = SubjectKind::account;
    r.subject_name = "hold " + h.fingerprint;
    r.category = "approval";
    r.reason = h.reason;
    r.result = result;
    r.correlation_id = "run-" + std::to_string(report.run_id);
    return r;
  };
  std::optional<Hold> same;
  for (auto h : holds.value()) {
    if (!is_open(h.state)) continue;
    if (report.guard.trips && h.fingerprint == report.guard.fingerprint && !same) {
      same = h;
      continue;
    }
    auto why = report.guard.trips ? "the portal now asks for a different set"
                                  : "this run did not trip the guard";
    h.state = HoldState::expired;
    auto record = record_for(h, "expire hold", "done");
    record.message = why;
    if (auto st = store_.save_hold(h, record); !st) return st.status();
    log_.log(LogLevel::notice, "hold " + std::to_string(h.id) + " expired: " + why +
                                   "; a later mass change needs a new approval");
  }
  if (!report.guard.trips) return Status::ok();
  if (same && same->state == HoldState::approved) {
    same->state = HoldState::released;
    auto saved = store_.save_hold(*same, record_for(*same, "release hold", "done"));
    report.approved_hold = *same;
    log_.log(LogLevel::notice, "mass change approved by " + same->approved_by + " (hold " +
                                   std::to_string(same->id) + "): sending it");
    return saved.status();
  }
  Hold hold = same.value_or(Hold{});
  if (!same) {
    hold.fingerprint = report.guard.fingerprint;
    hold.created_at = at;
    hold.destructive = report.guard.destructive;
    hold.managed = report.guard.managed;
    hold.reason = report.guard.reason;
    hold.sample_json = held_sample_json(report.plan);
    auto record = record_for(hold, "hold", "held");
    record.after_json = hold.sample_json;
    auto id = store_.save_hold(hold, record);
    if (!id) return id.status();
    hold.id = id.value();
  }
  report.hold_id = hold.id;
  if (hold.state == HoldState::rejected)
    log_.log(LogLevel::warning, "mass-change guard: " + report.guard.reason +
                                    "; those operations stay held: hold " +
                                    std::to_string(hold.id) + " was rejected by " +
                                    hold.approved_by + ". Correct the portal");
  else
    log_.log(LogLevel::warning, "mass-change guard: " + report.guard.reason +
                                    "; those operations are held. Check them with `portalsync "
                                    "plan`, then `portalsync approve " +
                                    std::to_string(hold.id) + "`");
  return Status::ok();
}

void SyncEngine::hold_and_replan(Plan& plan, const PortalSnapshot& portal) {
  hold_destructive(plan);
  if (!plan_inputs_) return;
  const auto& in = *plan_inputs_;
  auto hold = held_entries(plan);
  Plan replanned =
      in.scope ? plan_scoped(portal, in.links, in.directory, options_.mapping, *in.scope, hold)
               : plan_sync(portal, in.links, in.directory, options_.mapping,
                           validate_portal(portal, options_.mapping), hold);
  if (in.scope)
    std::erase_if(replanned.rejected,
                  [&](const Rejection& r) { return !rejection_in_scope(r, *in.scope); });
  restore_held(replanned, plan);
  plan = std::move(replanned);
  for (const auto& f : plan.frozen) log_.log(LogLevel::debug, "frozen " + f.dn + ": " + f.reason);
}

ChangeRecord decision_record(const RuleDecision& d, const Account* before, const std::string& at) {
  ChangeRecord r;
  r.at = at;
  r.actor = d.actor;
  r.kind = SubjectKind::account;
  r.subject_id = d.account_id;
  r.subject_name = d.username;
  r.unit_id = before ? before->org_unit_id : 0;
  r.category = d.category;
  r.result = std::string(to_string(d.state));
  r.message = d.outcome;
  r.operation = d.category == "unit transfer" ? "transfer"
                : d.category == "role change" ? "set_role"
                : d.update.status             ? *d.update.status == "enabled" ? "enable" : "disable"
                                              : "status";
  JsonWriter was, now;
  was.begin_object();
  now.begin_object();
  if (before && d.update.status) {
    was.key("status").value(before->status());
    now.key("status").value(*d.update.status);
  }
  if (before && d.update.org_unit_id) {
    was.key("org_unit_id").value(static_cast<std::int64_t>(before->org_unit_id));
    now.key("org_unit_id").value(static_cast<std::int64_t>(*d.update.org_unit_id));
  }
  if (before && d.update.role) {
    was.key("role").value(before->role());
    now.key("role").value(*d.update.role);
  }
  r.before_json = was.end_object().str();
  r.after_json = now.end_object().str();
  if (d.scheduled_change_id) r.reason = "scheduled change " + std::to_string(d.scheduled_change_id);
  return r;
}

std::size_t SyncReport::reservations_refused() const {
  return static_cast<std::size_t>(std::count_if(decisions.begin(), decisions.end(), [](auto& d) {
    return d.scheduled_change_id != 0 && d.state != ChangeState::done;
  }));
}

std::string summary_json(const SyncReport& report) {
  const auto& p = report.plan;
  std::size_t done = 0, refused = 0;
  for (const auto& d : report.decisions) (d.state == ChangeState::done ? done : refused)++;
  JsonWriter w;
  w.begin_object()
      .key("run_id")
      .value(report.run_id)
      .key("rule_changes")
      .value(done)
      .key("rule_refusals")
      .value(refused)
      .key("planned")
      .value(p.operations.size())
      .key("applied")
      .value(report.applied.applied)
      .key("failed")
      .value(report.applied.failed)
      .key("skipped")
      .value(report.applied.skipped)
      .key("unknown")
      .value(report.applied.unknown)
      .key("held")
      .value(report.applied.held)
      .key("quarantined")
      .value(report.quarantined)
      .key("hold_id")
      .value(static_cast<std::int64_t>(report.hold_id))
      .key("approved_hold_id")
      .value(static_cast<std::int64_t>(report.approved_hold ? report.approved_hold->id : 0))
      .key("reservations_refused")
      .value(report.reservations_refused())
      .key("rejected")
      .value(p.rejected.size())
      .key("unchanged")
      .value(p.summary.unchanged)
      .key("adopted")
      .value(p.adopted.size())
      .key("scope")
      .value(report.scope)
      .key("custody_breaches")
      .value(report.breaches.size())
      .end_object();
  return w.str();
}

}  // namespace ps
