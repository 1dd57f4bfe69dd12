// SociPortalStore: run records and the change log. The change log is append-only: every record
// is sealed in the transaction that writes it (store/change_log_seal.h) and never changes. An
// intent is sealed "pending"; its outcome is a second sealed record naming it (outcome_of), and
// queries show the intent with its outcome. ps_pending_intents lists the intents still waiting
// for theirs, so a run finds what an interrupted one left without reading the log.
#include <chrono>
#include <unordered_map>

#include "core/clock.h"
#include "store/change_log_seal.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/soci_portal_store.h"
#include "store/sql_lists.h"

namespace ps {

namespace {

// The sealed record of intent's outcome o.
ChangeRecord outcome_record(const ChangeRecord& intent, const ChangeOutcome& o) {
  ChangeRecord outcome = intent;
  outcome.at = o.at;
  outcome.operation = "outcome";
  outcome.before_json.clear();
  outcome.after_json.clear();
  outcome.result = o.result;
  outcome.message = o.message;
  return outcome;
}

// Lists the intents just written as waiting for their outcome. Ids and run ids are integers the
// store assigned, printed into the statement.
void list_pending(soci::session& sql, const std::vector<std::int64_t>& ids,
                  const std::vector<ChangeRecord>& intents) {
  std::string values;
  for (std::size_t i = 0; i < ids.size(); ++i)
    values += (i ? ", (" : "(") + std::to_string(ids[i]) + ", " +
              (intents[i].run_id ? std::to_string(intents[i].run_id) : std::string("NULL")) + ")";
  sql << "INSERT INTO ps_pending_intents(intent_id, run_id) VALUES " << values;
}

// Appends the outcome records of a batch of pending intents and takes them off the pending list,
// in three statements: read the intents, delete them from the list, append (one INSERT). The
// caller holds the transaction; append_all takes the change log's lock.
Status complete_intents(soci::session& sql, ChainAppender& chain,
                        const std::vector<ChangeOutcome>& outcomes) {
  std::string in;
  for (const auto& o : outcomes) in += (in.empty() ? "" : ", ") + std::to_string(o.id);
  std::unordered_map<std::int64_t, ChangeRecord> intents;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kStoredColumns << " FROM ps_change_log WHERE id IN ("
                     << "SELECT intent_id FROM ps_pending_intents WHERE intent_id IN (" << in
                     << ")) AND outcome_of IS NULL");
    for (const auto& r : rows) {
      auto intent = stored_from_row(r).record;
      intents.emplace(intent.id, std::move(intent));
    }
  }
  std::vector<ChainAppender::Appending> appending;
  for (const auto& o : outcomes) {
    auto intent = intents.find(o.id);
    if (intent == intents.end())
      return Status::error("change-log record " + std::to_string(o.id) +
                           " is not a pending intent: its outcome was not recorded");
    appending.push_back({outcome_record(intent->second, o), "", o.id});
    intents.erase(intent);  // a second outcome for it is refused, as one at a time would
  }
  sql << "DELETE FROM ps_pending_intents WHERE intent_id IN (" << in << ")";
  chain.append_all(appending);
  return Status::ok();
}

}  // namespace

// Records written outside a run (rule decisions, CLI actions) are final at once. Always inside
// the caller's transaction.
std::int64_t SociPortalStore::insert_record(const ChangeRecord& r) {
  ChainAppender chain(*sql_, audit_key_, fence_);
  return chain.append(r);
}

Result<std::int64_t> SociPortalStore::begin_run(const std::string& actor,
                                                const std::string& started_at,
                                                const std::string& mode) {
  try {
    long long id = 0;
    *sql_ << "INSERT INTO ps_runs(actor, mode, started_at, status) VALUES (:a, :m, :s, 'running') "
             "RETURNING id",
        soci::use(actor), soci::use(mode), soci::use(started_at), soci::into(id);
    return static_cast<std::int64_t>(id);
  } catch (const std::exception& e) {
    return Error{failure("cannot start a run record", e).message()};
  }
}

Status SociPortalStore::finish_run(std::int64_t run_id, const std::string& finished_at,
                                   const std::string& status, const std::string& summary_json) {
  try {
    long long id = run_id;
    *sql_ << "UPDATE ps_runs SET finished_at = :f, status = :s, summary_json = :j WHERE id = :i",
        soci::use(finished_at), soci::use(status), soci::use(summary_json), soci::use(id);
  } catch (const std::exception& e) {
    return failure("cannot close run " + std::to_string(run_id), e);
  }
  return Status::ok();
}

Status SociPortalStore::record_intents(std::vector<ChangeRecord>& records) {
  if (records.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    ChainAppender chain(*sql_, audit_key_, fence_);
    std::vector<ChainAppender::Appending> intents;
    for (const auto& r : records) {
      intents.push_back({r, "", 0});
      intents.back().record.result = "pending";  // sealed as sent; the outcome is its own record
      intents.back().record.message.clear();
    }
    auto ids = chain.append_all(intents);
    list_pending(*sql_, ids, records);
    tx.commit();  // synchronous=FULL: on disk when this returns
    for (std::size_t i = 0; i < records.size(); ++i) {
      records[i].id = ids[i];
      records[i].result = "pending";
      records[i].message.clear();
    }
  } catch (const std::exception& e) {
    return failure("cannot write change-log intents", e);
  }
  return Status::ok();
}

Status SociPortalStore::record_outcomes(const std::vector<ChangeOutcome>& outcomes) {
  if (outcomes.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    ChainAppender chain(*sql_, audit_key_, fence_);
    if (auto st = complete_intents(*sql_, chain, outcomes); !st) return st;
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
             "AND (mode = 'sync' OR id IN (SELECT run_id FROM ps_pending_intents))",
        soci::use(run);
    std::vector<RowId> ids;
    {
      soci::rowset<soci::row> rows =
          (sql_->prepare << "SELECT intent_id FROM ps_pending_intents WHERE run_id IS NULL OR "
                            "run_id <> :r ORDER BY intent_id",
           soci::use(run));
      for (const auto& r : rows) ids.push_back(column_int(r, 0));
    }
    // The change log's lock only when there is something to complete: every run passes here, and
    // on a server the lock is held until the transaction ends.
    if (!ids.empty()) {
      ChainAppender chain(*sql_, audit_key_, fence_);
      auto now = format_utc(std::chrono::system_clock::now());
      for (std::size_t i = 0; i < ids.size(); i += kInListSize) {
        std::vector<ChangeOutcome> unknown;
        for (std::size_t j = i; j < std::min(ids.size(), i + kInListSize); ++j)
          unknown.push_back({ids[j], "unknown", note, now});
        if (auto st = complete_intents(*sql_, chain, unknown); !st)
          return Error{st.message(), st.code()};
      }
    }
    tx.commit();
    return static_cast<int>(ids.size());
  } catch (const std::exception& e) {
    return Error{failure("cannot check for interrupted runs", e).message()};
  }
}

}  // namespace ps
