// One engine run: the lifecycle rules first (reserved-effect changes that are due, idle-disable),
// written to the portal tables; then plan the directory against the portal, hold back a mass change
// unless approved, apply, and remember what was learned. Every entry point (CLI, daemon, admin
// API) goes through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <string_view>

#include "core/apply.h"
#include "core/change_journal.h"
#include "core/clock.h"
#include "core/custody_breach.h"
#include "core/directory_connector.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/mapping.h"
#include "core/mass_change_guard.h"
#include "core/plan.h"
#include "core/plan_scope.h"
#include "core/portal_store.h"

namespace ps {

// The actor of the directory operations a sync plans from the portal's data.
inline constexpr std::string_view kPortalActor = "portal";

struct EngineOptions {
  MappingOptions mapping;
  std::size_t window = 32;
  std::string actor = "portalsync";  // who runs the sync: the run's record, rules' decisions
  IdlePolicy idle;
  bool run_idle_rule = true;  // the daemon runs it once a day, the CLI on every sync
  GuardPolicy guard;
  QuarantinePolicy quarantine;
  const std::atomic<bool>* stop_requested = nullptr;  // see ApplyOptions
  LeaderLease* lease = nullptr;                       // see ApplyOptions
};

// What a run would do, computed without writing anything (portalsync plan, GET /v1/plan).
struct RunPreview {
  std::vector<RuleDecision> decisions;
  Plan plan;
  GuardVerdict guard;
  std::vector<CustodyBreach> breaches;  // as a sync now would leave them (core/custody_breach.h)
  std::optional<Hold> approved_hold;    // the approval a sync would send the guarded set under
};

struct SyncReport {
  std::int64_t run_id = 0;
  int interrupted_records = 0;  // left "pending" by an earlier run, now marked unknown
  std::vector<RuleDecision> decisions;
  Plan plan;
  GuardVerdict guard;
  RowId hold_id = 0;                  // set when the guard held the destructive operations back
  std::optional<Hold> approved_hold;  // the approval this run sent the guarded set under
  ApplyReport applied;

  bool held() const { return hold_id != 0; }
  std::size_t quarantined = 0;  // objects whose operations are no longer sent (core/quarantine.h)
  std::size_t scope = 0;        // a scoped run: how many objects it planned (0: a full run)
  std::string full_because;     // sync_changes that ran in full: why
  std::int64_t journal_covered = 0;  // the journal entries up to this one are in the directory
  // Custody breaches open after this run (not a failure: the run still completes); how many
  // started and ended in it. A run on a partial snapshot reports those the last full run found.
  std::vector<CustodyBreach> breaches;
  std::size_t breaches_started = 0, breaches_ended = 0;

  // Reserved changes (scheduled rows) this run failed or blocked.
  std::size_t reservations_refused() const;

  bool complete() const {
    return applied.failed == 0 && applied.skipped == 0 && applied.unknown == 0 &&
           plan.rejected.empty() && !held() && quarantined == 0 && reservations_refused() == 0;
  }
};

class SyncEngine {
 public:
  SyncEngine(PortalStore& store, DirectoryConnector& directory, const Clock& clock, Logger& log,
             EngineOptions options);

  // Reads both sides, decides the rules on a copy and plans; writes nothing anywhere.
  Result<RunPreview> preview();

  // The whole run. Fails only when it could not run at all or lost the directory/change log
  // mid-way; refused decisions, failed operations and rejected rows are in the report. When it
  // completes, the change journal is trimmed up to its head as read at the start.
  Result<SyncReport> sync();

  // A run for just what `changes` touched (the daemon's answer to new journal entries): the due
  // reserved changes, then a plan of the affected objects from a selective read of the directory
  // (core/plan_scope.h). Falls back to a full run, saying why in the log and
  // SyncReport::full_because, when the changes cannot be planned in scope.
  Result<SyncReport> sync_changes(const AffectedObjects& changes);

  // A run for what the change journal holds, which is what the portal changed since the last
  // complete run (every complete run trims the entries it covered): sync_changes of what they
  // touched, or a full run when there are more than kMaxScopedJournalEntries.
  Result<SyncReport> sync_journal();
  static constexpr int kMaxScopedJournalEntries = 20000;

 private:
  PortalStore& store_;
  DirectoryConnector& directory_;
  const Clock& clock_;
  Logger& log_;
  EngineOptions options_;

  // Decides on `working` in place; originals (when given) receives the accounts it changed as
  // they were before.
  std::vector<RuleDecision> decide_rules(PortalSnapshot& working,
                                         const std::vector<ScheduledChange>& changes,
                                         std::vector<Account>* originals = nullptr) const;
  // decided: the snapshot the rules changed; originals: those accounts as they were before.
  Status record_decisions(const SyncReport& report, const PortalSnapshot& decided,
                          const std::vector<Account>& originals,
                          const std::vector<RuleDecision>& decisions);
  std::future<Result<DirectoryReadResult>> start_directory_read();
  // A scoped run's unit entries (DirectoryConnector::read_units), read while the portal is.
  std::future<Result<DirectoryReadResult>> start_unit_read();
  // openldap flavor: makes sure the directory enforces the locks a run writes (the lock policy,
  // DirectoryConnector::prepare_lock_policy); create false only looks. Logs what it did. A missing
  // base below which the policy lives is created first, as run run_id's first operation (its
  // directory latency added to *latency).
  Status prepare_locks(bool create, std::int64_t run_id = 0, LatencyHistogram* latency = nullptr);
  Status create_base(std::int64_t run_id, LatencyHistogram* latency);
  Result<Plan> plan_against_directory(const PortalSnapshot& portal,
                                      std::future<Result<DirectoryReadResult>>& read);
  // The scoped plan of `changes`; an empty optional when only a full plan will do (why in
  // report.full_because). units: start_unit_read's, or no future (read_selected reads them).
  Result<std::optional<Plan>> plan_changes(const PortalSnapshot& portal,
                                           const AffectedObjects& changes, SyncReport& report,
                                           std::future<Result<DirectoryReadResult>>& units);
  Status add_links_of_read(LinkSelection& links, const DirectoryReadResult& read);
  // changes: nullptr for a full run. journal_head: the journal entries up to it are covered by
  // this run and trimmed when it completes (none: the journal is left alone).
  // An exception from any step (a planner .at(), std::async's system_error, bad_alloc) ends the
  // run as a failure recorded as "failed", like an error value: the caller keeps running.
  Result<SyncReport> run(const AffectedObjects* changes, std::optional<std::int64_t> journal_head);
  // The run's steps; sets run_id as soon as the run record exists.
  Result<SyncReport> run_recorded(const AffectedObjects* changes,
                                  std::optional<std::int64_t> journal_head, std::int64_t& run_id);
  Status guard_mass_change(SyncReport& report);

  // What the last plan was made from, kept until the guard has decided: a held run is planned
  // again with the held entries frozen, so nothing planned from the held state is sent.
  struct PlanInputs {
    std::vector<IdentityLink> links;
    DirectoryReadResult directory;
    std::optional<PlanScope> scope;
  };
  std::optional<PlanInputs> plan_inputs_;
  // Holds the plan's destructive operations and plans the rest again around them.
  void hold_and_replan(Plan& plan, const PortalSnapshot& portal);
  void log_frozen(const Plan& plan);
  // Holds what is quarantined; returns the tracking as loaded, to be updated after the run.
  Result<std::vector<QuarantineEntry>> hold_quarantine(Plan& plan);
  void track_quarantine(SyncReport& report, std::vector<QuarantineEntry> before);
  // Custody breaches of the decided portal (core/engine_custody.cc): recorded when they start
  // and end, remembered for the next run. Never fails the run.
  void watch_custody(SyncReport& report, const PortalSnapshot& portal);
  std::vector<CustodyBreach> preview_custody(const PortalSnapshot& portal);

  // directory.posix (core/engine_posix.cc): gives the snapshot's rows that lack a POSIX number
  // one, recorded in the store first when `record` (a preview only assigns them in memory).
  Status number_posix_rows(PortalSnapshot& portal, bool record);
};

std::string summary_json(const SyncReport& report);

// The change-log record of a rule decision (before/after from the account as it was).
ChangeRecord decision_record(const RuleDecision& d, const Account* before, const std::string& at);

}  // namespace ps
