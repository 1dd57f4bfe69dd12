// The portal database as the engine needs it: the interface tables (read), the identity links and
// the change log (read/write). Implementation: store/ (SOCI; SQLite by default, PostgreSQL later).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/audit_log.h"
#include "core/change_journal.h"
#include "core/change_log.h"
#include "core/custody_breach.h"
#include "core/lifecycle.h"
#include "core/mass_change_guard.h"
#include "core/model.h"
#include "core/quarantine.h"
#include "core/result.h"

namespace ps {

struct LinkRequest {
  std::set<RowId> accounts;
  std::set<std::string> anchors;
};

struct LinkSelection {
  std::vector<IdentityLink> links;
  std::size_t account_links = 0;  // account and shared-account links in the store, loaded or not
};

struct PartialSnapshotRequest {
  std::set<RowId> accounts;
  std::set<RowId> shared_accounts;
  std::set<RowId> units;
};

class PortalStore {
 public:
  virtual ~PortalStore() = default;

  // Reads every interface table. Fails when the database cannot be read or its schema version is
  // not the one this build knows (the message says which command migrates it).
  virtual Result<PortalSnapshot> load_snapshot() = 0;

  // What a scoped run needs of the interface tables: every unit, shared account, system and unit
  // grant, and of the accounts only these (with their own grants):
  //  - those in `request.accounts`, the custodian of every shared account, and every account in
  //    `request.units` or a unit below one of them;
  //  - every other account whose username equals one of theirs ignoring ASCII letter case, since
  //    the row checks compare those.
  // The result is marked partial, with the portal's account count (a database server may give its
  // statistics' estimate: the count only sets how large a scope is worth planning alone). Same
  // failures as load_snapshot. The default loads everything, which is always correct.
  virtual Result<PortalSnapshot> load_partial_snapshot(const PartialSnapshotRequest& request) {
    (void)request;
    return load_snapshot();
  }

  // Every identity link the engine saved so far.
  virtual Result<std::vector<IdentityLink>> load_links() = 0;

  // The links a scoped run needs (core/scoped_links.h): every link of a unit, group or shared
  // account, the account links of `request.accounts`, and every link whose anchor is one of
  // `request.anchors`; with the number of account and shared-account links in all (a database
  // server may give its statistics' estimate: the number only sets the guard's proportion). Same
  // failures as load_links. The default filters load_links, which is always correct.
  virtual Result<LinkSelection> load_links_for(const LinkRequest& request);

  // In one transaction: inserts or replaces `upsert` (keyed by kind and portal_id) and removes
  // `remove`.
  virtual Status save_links(const std::vector<IdentityLink>& upsert,
                            const std::vector<IdentityLink>& remove) = 0;

  // Opens a run record (mode: "sync" or "plan"); returns its id.
  virtual Result<std::int64_t> begin_run(const std::string& actor, const std::string& started_at,
                                         const std::string& mode) = 0;

  // Closes a run record with its final status ("ok", "partial", "failed") and a JSON summary.
  virtual Status finish_run(std::int64_t run_id, const std::string& finished_at,
                            const std::string& status, const std::string& summary_json) = 0;

  // Writes intents durably in one transaction and fills in their ids. Returns only after the
  // records would survive a crash, because the operations are sent right after.
  virtual Status record_intents(std::vector<ChangeRecord>& records) = 0;

  // Records the outcomes of earlier intents, in one transaction.
  virtual Status record_outcomes(const std::vector<ChangeOutcome>& outcomes) = 0;

  // Marks records an earlier run left "pending" as "unknown" with `note`, and that run (and any
  // other sync run still marked running) as interrupted, so an interrupted run is visible;
  // returns how many records there were.
  virtual Result<int> mark_interrupted(std::int64_t current_run_id, const std::string& note) = 0;

  // Every reserved-effect change, in any state.
  virtual Result<std::vector<ScheduledChange>> load_scheduled_changes() = 0;

  // Inserts the rows in one transaction (all or none) and fills in their ids; writes records[i]
  // (when given) for rows[i] in the same transaction, its subject_id the row's new id.
  virtual Status add_scheduled_changes(std::vector<ScheduledChange>& rows,
                                       std::vector<ChangeRecord> records = {}) = 0;

  // Cancels a pending row and writes `record`; fails naming the row when it is not pending.
  virtual Status cancel_scheduled_change(RowId id, const ChangeRecord& record) = 0;

  // Carries out a decision in one transaction, so a crash can neither lose nor repeat it: the
  // account update (when done), the scheduled row's state, outcome and executed_at, and `record`.
  // Fails, changing nothing, when the decision executes a scheduled row that is no longer pending
  // (the portal cancelled it meanwhile).
  virtual Status record_decision(const RuleDecision& decision, const ChangeRecord& record) = 0;

  // Sets a shared account's custodian and writes `record`, in one transaction.
  virtual Status set_custodian(RowId shared_account_id, RowId custodian_id,
                               const ChangeRecord& record) = 0;

  // Mass-change holds, newest first.
  virtual Result<std::vector<Hold>> load_holds() = 0;

  // Inserts a hold (id 0; the new id is returned) or updates the one with its id, and writes
  // `record`, in one transaction.
  virtual Result<RowId> save_hold(const Hold& hold, const ChangeRecord& record) = 0;

  // Custody breaches (core/custody_breach.h) as the last full run left them. The defaults keep
  // nothing: a store without the table never remembers a breach, so each run names it anew.
  virtual Result<CustodyWatch> load_custody_watch() { return CustodyWatch{}; }
  // Replaces the watch and writes `records` (breaches started and ended), in one transaction.
  virtual Status save_custody_watch(const CustodyWatch& watch,
                                    const std::vector<ChangeRecord>& records) {
    (void)watch;
    (void)records;
    return Status::ok();
  }

  // Records POSIX numbers just assigned (core/posix.h), in one transaction, before anything uses
  // them; load_snapshot returns every number ever recorded in PortalSnapshot::posix_ids. Fails,
  // recording nothing, when a row already has a number or a number is taken. The default keeps
  // nothing (test doubles).
  virtual Status save_posix_ids(const std::vector<PosixId>& ids, const std::string& assigned_at) {
    (void)ids;
    (void)assigned_at;
    return Status::ok();
  }

  // Objects being tracked for repeated failures, quarantined or not (core/quarantine.h).
  virtual Result<std::vector<QuarantineEntry>> load_quarantine() = 0;

  // Replaces the whole tracking with `entries` (a small table) and writes `records` (objects
  // quarantined), in one transaction.
  virtual Status save_quarantine(const std::vector<QuarantineEntry>& entries,
                                 const std::vector<ChangeRecord>& records = {}) = 0;

  // save_quarantine, and in the same transaction a change-journal entry for each of `released`,
  // so the daemon's next journal run (at once) plans them again. The default only saves.
  virtual Status release_quarantine(const std::vector<QuarantineEntry>& entries,
                                    const std::vector<QuarantineEntry>& released,
                                    const std::vector<ChangeRecord>& records = {}) {
    (void)released;
    return save_quarantine(entries, records);
  }

  // The change journal (core/change_journal.h). Ids grow in commit order, so a reader that has
  // handled every entry up to N misses nothing by asking for those after N.

  // At most `limit` (> 0) entries with an id above `after_id`, oldest first.
  virtual Result<std::vector<JournalEntry>> read_journal(std::int64_t after_id, int limit) = 0;

  // The id of the newest committed entry the journal holds; 0 when it holds none. Every entry up
  // to it is committed, so a full sync that starts after reading it covers them all and may
  // trim them. (An id a sequence handed to a transaction still open is not counted: a run that
  // trimmed up to it would lose that transaction's entries once it commits.)
  virtual Result<std::int64_t> journal_head() = 0;

  // Removes the entries with an id up to `up_to_id`; returns how many. Later ids are unaffected.
  virtual Result<std::int64_t> trim_journal(std::int64_t up_to_id) = 0;

  // The change log's audit side (chain check, anchor, queries, retention), or nullptr when this
  // store has none (test doubles).
  virtual ChangeLogAudit* audit_log() { return nullptr; }

  // Two nodes (core/leader_lease.h): every change-log record written from now on carries this
  // fencing number, and no record is written once another node has claimed a newer one.
  virtual void set_fence(std::int64_t) {}
};

}  // namespace ps
