// SociPortalStore: run records and the change log. Every record is sealed in the transaction that
// writes it (store/change_log_seal.h): an intent is sealed "pending"; its outcome is a second
// sealed record naming it (outcome_of), and the intent's result columns are updated for queries,
// which verify checks against that outcome record.
#include <chrono>
#include <unordered_map>

#include "core/clock.h"
#include "store/change_log_seal.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/soci_portal_store.h"

namespace ps {

namespace {

// The intent `id` still pending, or nullopt (no such record, or its outcome is known already).
std::optional<ChangeRecord> pending_intent(soci::session& sql, long long id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kStoredColumns
                   << " FROM ps_change_log WHERE id = :i AND result = 'pending' AND "
                      "outcome_of IS NULL",
       soci::use(id));
  for (const auto& r : rows) return stored_from_row(r).record;
  return std::nullopt;
}

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

// Updates the intent's result columns and appends the sealed outcome record.
void complete_intent(soci::session& sql, ChainAppender& chain, const ChangeRecord& intent,
                     const ChangeOutcome& o) {
  long long id = intent.id;
  sql << "UPDATE ps_change_log SET result = :r, message = :m, completed_at = :at WHERE id = :i",
      soci::use(o.result), soci::use(o.message), soci::use(o.at), soci::use(id);
  chain.append(outcome_record(intent, o), "", intent.id);
}

// complete_intent for a batch, in three statements on a server: read the intents, update their
// result columns, append the outcomes (ChainAppender::append_all). The caller holds the lock.
Status complete_intents(soci::session& sql, ChainAppender& chain,
                        const std::vector<ChangeOutcome>& outcomes) {
  std::vector<long long> ids;
  std::string in;
  for (const auto& o : outcomes) {
    ids.push_back(o.id);
    in += (in.empty() ? "" : ", ") + std::to_string(o.id);
  }
  std::unordered_map<std::int64_t, ChangeRecord> intents;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kStoredColumns << " FROM ps_change_log WHERE id IN (" << in
                     << ") AND result = 'pending' AND outcome_of IS NULL");
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
  // Bound in this order: the (id, result) pairs, then (id, message), then (id, completed_at).
  const auto& dialect = dialect_of(sql);
  std::size_t n = 0;
  auto cases = [&] {
    std::string out = "CASE id";
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      out += " WHEN " + dialect.parameter(n++);
      out += " THEN " + dialect.parameter(n++);
    }
    return out;
  };
  auto result = cases();
  auto message = cases();
  auto at = cases();
  {
    auto update =
        (sql << "UPDATE ps_change_log SET result = " << result << " END, message = " << message
             << " END, completed_at = " << at << " END WHERE id IN (" << in << ")");
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      update, soci::use(ids[i]), soci::use(outcomes[i].result);
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      update, soci::use(ids[i]), soci::use(outcomes[i].message);
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      update, soci::use(ids[i]), soci::use(outcomes[i].at);
  }  // runs here
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
             "AND (mode = 'sync' OR id IN (SELECT run_id FROM ps_change_log "
             "WHERE result = 'pending'))",
        soci::use(run);
    std::vector<long long> ids;
    {
      soci::rowset<soci::row> rows =
          (sql_->prepare << "SELECT id FROM ps_change_log WHERE result = 'pending' AND "
                            "outcome_of IS NULL AND (run_id IS NULL OR run_id <> :r) ORDER BY id",
           soci::use(run));
      for (const auto& r : rows) ids.push_back(column_int(r, 0));
    }
    // The change log's lock only when there is something to complete: every run passes here, and
    // on a server the lock is held until the transaction ends.
    if (!ids.empty()) {
      ChainAppender chain(*sql_, audit_key_, fence_);
      auto now = format_utc(std::chrono::system_clock::now());
      for (auto id : ids)
        if (auto intent = pending_intent(*sql_, id))
          complete_intent(*sql_, chain, *intent, {id, "unknown", note, now});
    }
    tx.commit();
    return static_cast<int>(ids.size());
  } catch (const std::exception& e) {
    return Error{failure("cannot check for interrupted runs", e).message()};
  }
}

}  // namespace ps
