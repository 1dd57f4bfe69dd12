// PortalStore over SOCI (SQLite and PostgreSQL; what differs is in store/dialect.h). Split by
// concern: store_snapshot.cc (interface tables, links), store_partial_snapshot.cc (a scoped
// run's part of them), store_change_log.cc (runs, change log),
// store_lifecycle.cc (scheduled changes, rule decisions, custody, holds), store_journal.cc (the
// change journal), store_audit.cc (the change log for auditors).
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>

#include "core/audit_log.h"
#include "core/portal_store.h"

namespace ps {

// One row of ps_runs.
struct RunRow {
  std::int64_t id = 0;
  std::string started_at, finished_at;  // finished_at empty while running
  std::string status;                   // running | ok | partial | failed | interrupted
  std::string summary_json;             // core/engine.cc summary_json; empty while running
};

class SociPortalStore : public PortalStore, public ChangeLogAudit {
 public:
  // Opens an initialised portal database; fails naming the command to run when it is not.
  // `audit_key` (audit.key_file's content) seals change-log records once the log is keyed, and
  // checks the chain and the checkpoints.
  static Result<std::unique_ptr<SociPortalStore>> open(const std::string& url,
                                                       const std::string& audit_key = "");

  Result<PortalSnapshot> load_snapshot() override;
  Result<PortalSnapshot> load_partial_snapshot(const PartialSnapshotRequest& request) override;
  Result<std::vector<IdentityLink>> load_links() override;
  Result<LinkSelection> load_links_for(const LinkRequest& request) override;
  Status save_links(const std::vector<IdentityLink>& upsert,
                    const std::vector<IdentityLink>& remove) override;
  Result<std::int64_t> begin_run(const std::string& actor, const std::string& started_at,
                                 const std::string& mode) override;
  Status finish_run(std::int64_t run_id, const std::string& finished_at, const std::string& status,
                    const std::string& summary_json) override;
  // The sync runs (not plans) started at or after `since` (UTC ISO 8601), oldest first, at most
  // `limit`: what the console's 24-hour chart draws.
  Result<std::vector<RunRow>> load_runs_since(const std::string& since, std::size_t limit);
  Status record_intents(std::vector<ChangeRecord>& records) override;
  Status record_outcomes(const std::vector<ChangeOutcome>& outcomes) override;
  Result<int> mark_interrupted(std::int64_t current_run_id, const std::string& note) override;
  Result<std::vector<ScheduledChange>> load_scheduled_changes() override;
  Status add_scheduled_changes(std::vector<ScheduledChange>& rows,
                               std::vector<ChangeRecord> records = {}) override;
  Status cancel_scheduled_change(RowId id, const ChangeRecord& record) override;
  Status record_decision(const RuleDecision& decision, const ChangeRecord& record) override;
  Status set_custodian(RowId shared_account_id, RowId custodian_id,
                       const ChangeRecord& record) override;
  Result<std::vector<Hold>> load_holds() override;
  Result<std::vector<QuarantineEntry>> load_quarantine() override;
  Status save_quarantine(const std::vector<QuarantineEntry>& entries,
                         const std::vector<ChangeRecord>& records = {}) override;
  Result<CustodyWatch> load_custody_watch() override;
  Status save_custody_watch(const CustodyWatch& watch,
                            const std::vector<ChangeRecord>& records) override;
  Status release_quarantine(const std::vector<QuarantineEntry>& entries,
                            const std::vector<QuarantineEntry>& released,
                            const std::vector<ChangeRecord>& records = {}) override;
  Result<RowId> save_hold(const Hold& hold, const ChangeRecord& record) override;
  Status save_posix_ids(const std::vector<PosixId>& ids, const std::string& assigned_at) override;
  Result<std::vector<JournalEntry>> read_journal(std::int64_t after_id, int limit) override;
  Result<std::int64_t> journal_head() override;
  Result<std::int64_t> trim_journal(std::int64_t up_to_id) override;
  ChangeLogAudit* audit_log() override { return this; }
  void set_fence(std::int64_t fence) override { fence_ = fence; }

  // ChangeLogAudit (store/store_audit.cc).
  Result<ChainReport> verify_chain(const std::vector<AuditAnchor>& anchors) override;
  Result<AuditAnchor> latest_anchor() override;
  Result<std::vector<ChangeRecord>> query_records(const AuditFilter& filter) override;
  Result<std::optional<RowId>> former_account_id(const std::string& username) override;
  Result<PruneReport> prune_records(const PruneRequest& request) override;
  Result<ExportReport> verify_export(const std::string& path) override;

  soci::session& session() { return *sql_; }

 private:
  SociPortalStore(std::unique_ptr<soci::session> sql, std::string url, std::string audit_key)
      : sql_(std::move(sql)), url_(std::move(url)), audit_key_(std::move(audit_key)) {}
  Status failure(const std::string& what, const std::exception& e) const;
  // Inserts one change-log record inside the caller's transaction; returns its id.
  std::int64_t insert_record(const ChangeRecord& r);

  std::unique_ptr<soci::session> sql_;
  std::string url_;
  std::string audit_key_;  // never logged, never stored
  std::int64_t fence_ = 0;
};

}  // namespace ps
