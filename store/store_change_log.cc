// SociPortalStore: run records and the change log (intents before operations, outcomes after).
#include "store/change_log_audit.h"
#include "store/database.h"
#include "store/soci_portal_store.h"

namespace ps {

namespace {

// One prepared INSERT, bound by reference to its own fields (soci::use binds by reference).
class RecordInserter {
 public:
  explicit RecordInserter(soci::session& sql)
      : sql_(sql),
        st_((sql.prepare
                 << "INSERT INTO ps_change_log(run_id, at, actor, operation, kind, "
                    "subject_id, subject_name, unit_id, dn, new_dn, before_json, after_json, "
                    "category, reason, result, message, correlation_id) VALUES (:run, :at, "
                    ":actor, :op, :kind, :sid, :sname, :unit, :dn, :newdn, :before, :after, "
                    ":cat, :reason, :result, :message, :corr)",
             soci::use(run_), soci::use(r_.at), soci::use(r_.actor), soci::use(r_.operation),
             soci::use(kind_), soci::use(subject_), soci::use(r_.subject_name), soci::use(unit_),
             soci::use(r_.dn), soci::use(r_.new_dn), soci::use(r_.before_json),
             soci::use(r_.after_json), soci::use(r_.category), soci::use(r_.reason),
             soci::use(r_.result), soci::use(r_.message), soci::use(r_.correlation_id))) {}

  std::int64_t insert(const ChangeRecord& r) {
    r_ = r;
    run_ = r.run_id;
    kind_ = std::string(to_string(r.kind));
    subject_ = r.subject_id;
    unit_ = r.unit_id;
    st_.execute(true);
    long long id = 0;
    sql_.get_last_insert_id("ps_change_log", id);
    return id;
  }

 private:
  soci::session& sql_;
  ChangeRecord r_;
  long long run_ = 0, subject_ = 0, unit_ = 0;
  std::string kind_;
  soci::statement st_;
};

}  // namespace

// Records written outside a run (rule decisions, CLI actions) are final at once: sealed with them.
std::int64_t SociPortalStore::insert_record(const ChangeRecord& r) {
  RecordInserter inserter(*sql_);
  auto id = inserter.insert(r);
  seal_change_log(*sql_);
  return id;
}

Result<std::int64_t> SociPortalStore::begin_run(const std::string& actor,
                                                const std::string& started_at,
                                                const std::string& mode) {
  try {
    *sql_ << "INSERT INTO ps_runs(actor, mode, started_at, status) VALUES (:a, :m, :s, 'running')",
        soci::use(actor), soci::use(mode), soci::use(started_at);
    long long id = 0;
    sql_->get_last_insert_id("ps_runs", id);
    return static_cast<std::int64_t>(id);
  } catch (const std::exception& e) {
    return Error{failure("cannot start a run record", e).message()};
  }
}

Status SociPortalStore::finish_run(std::int64_t run_id, const std::string& finished_at,
                                   const std::string& status, const std::string& summary_json) {
  try {
    long long id = run_id;
    soci::transaction tx(*sql_);
    *sql_ << "UPDATE ps_runs SET finished_at = :f, status = :s, summary_json = :j WHERE id = :i",
        soci::use(finished_at), soci::use(status), soci::use(summary_json), soci::use(id);
    seal_change_log(*sql_);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot close run " + std::to_string(run_id), e);
  }
  return Status::ok();
}

Status SociPortalStore::record_intents(std::vector<ChangeRecord>& records) {
  if (records.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    RecordInserter inserter(*sql_);  // prepared once for the whole batch
    std::vector<std::int64_t> ids;
    for (const auto& r : records) ids.push_back(inserter.insert(r));
    tx.commit();  // synchronous=FULL: on disk when this returns
    for (std::size_t i = 0; i < records.size(); ++i) records[i].id = ids[i];
  } catch (const std::exception& e) {
    return failure("cannot write change-log intents", e);
  }
  return Status::ok();
}

Status SociPortalStore::record_outcomes(const std::vector<ChangeOutcome>& outcomes) {
  if (outcomes.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    ChangeOutcome o;
    long long id = 0;
    soci::statement st =
        (sql_->prepare << "UPDATE ps_change_log SET result = :r, message = :m, "
                          "completed_at = :at WHERE id = :id",
         soci::use(o.result), soci::use(o.message), soci::use(o.at), soci::use(id));
    for (const auto& outcome : outcomes) {
      o = outcome;
      id = outcome.id;
      st.execute(true);
    }
    seal_change_log(*sql_);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot record change-log outcomes", e);
  }
  return Status::ok();
}

Result<int> SociPortalStore::mark_interrupted(std::int64_t current_run_id,
                                              const std::string& note) {
  try {
    long long run = current_run_id;
    soci::transaction tx(*sql_);
    // Syncs run one at a time (the run lock), so another sync still "running" has died; so has any
    // run that left an intent without its outcome.
    *sql_ << "UPDATE ps_runs SET status = 'interrupted' WHERE status = 'running' AND id <> :r "
             "AND (mode = 'sync' OR id IN (SELECT run_id FROM ps_change_log "
             "WHERE result = 'pending'))",
        soci::use(run);
    soci::statement st = (sql_->prepare << "UPDATE ps_change_log SET result = 'unknown', "
                                           "message = :n WHERE result = 'pending' "
                                           "AND (run_id IS NULL OR run_id <> :r)",
                          soci::use(note), soci::use(run));
    st.execute(true);
    auto count = static_cast<int>(st.get_affected_rows());
    if (count > 0) seal_change_log(*sql_);  // the chain waited for these records
    tx.commit();
    return count;
  } catch (const std::exception& e) {
    return Error{failure("cannot check for interrupted runs", e).message()};
  }
}

}  // namespace ps
