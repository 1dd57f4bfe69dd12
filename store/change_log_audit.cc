#include "store/change_log_audit.h"

#include <unordered_map>

#include "store/change_log_retention.h"
#include "store/change_log_seal.h"
#include "store/change_log_walk.h"
#include "store/database.h"
#include "store/sql_lists.h"

namespace ps {

namespace {

// Where the chain in the database starts, and whether its checkpoints hold.
struct ChainStart {
  std::optional<KeyCheckpoint> key;
  std::optional<PruneCheckpoint> pruned;
};

// "" when the checkpoints are genuine (or cannot be checked without the key).
std::string checkpoint_problem(const ChainStart& start, const std::string& key) {
  if (key.empty()) return "";
  if (start.key && record_hash(key, "", key_checkpoint_message(*start.key)) != start.key->signature)
    return "the key checkpoint after record " + std::to_string(start.key->last_id) +
           " does not carry a valid signature";
  if (start.pruned && !prune_checkpoint_valid(*start.pruned, key))
    return "the checkpoint after record " + std::to_string(start.pruned->last_id) +
           " does not carry a valid signature";
  return "";
}

std::string weakness(const ChainStart& start, const std::string& key, std::int64_t unchecked) {
  if (key.empty())
    return unchecked > 0 ? "no audit.key_file, so the " + std::to_string(unchecked) +
                               " records sealed with the key were not checked"
                         : "no audit.key_file: anyone who can write the database can recompute "
                           "the chain";
  if (!start.key)
    return "the change log is not sealed with audit.key_file yet: run `portalsync db init -c "
           "FILE` once";
  return "";
}

std::optional<std::string> record_hash_at(soci::session& sql, std::int64_t id) {
  std::string hash;
  long long i = id;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT hash FROM ps_change_log WHERE id = :i", soci::into(hash, ind), soci::use(i);
  if (!sql.got_data()) return std::nullopt;
  return ind == soci::i_null ? "" : hash;
}

void check_anchors(soci::session& sql, const ChainStart& start,
                   const std::vector<AuditAnchor>& anchors, ChainReport& report) {
  auto pruned_to = start.pruned ? start.pruned->last_id : 0;
  for (const auto& a : anchors) {
    auto name = "record " + std::to_string(a.seq);
    if (a.seq > report.head.seq) {
      report.verdict = ChainVerdict::broken;
      report.first_bad_id = report.head.seq + 1;
      report.problem = "the log ends at record " + std::to_string(report.head.seq) +
                       ", but an anchor names " + name + ": the newest records were removed";
      return;
    }
    std::optional<std::string> hash;
    if (a.seq > pruned_to)
      hash = record_hash_at(sql, a.seq);
    else if (a.seq == pruned_to)
      hash = start.pruned->last_hash;
    if (!hash) {
      report.notes.push_back("anchor " + std::to_string(a.seq) +
                             " names a pruned record: check it with --export FILE");
      continue;
    }
    ++report.anchors_checked;
    if (*hash != a.hash) {
      report.verdict = ChainVerdict::broken;
      report.first_bad_id = a.seq;
      report.problem =
          name + " does not match the anchor " + format_anchor(a) + ": the chain was rewritten";
      return;
    }
  }
}

}  // namespace

Result<ChainReport> verify_change_log(soci::session& sql, const std::string& key,
                                      const std::vector<AuditAnchor>& anchors) {
  ChainReport report;
  try {
    ChainStart start{read_key_checkpoint(sql), latest_prune_checkpoint(sql)};
    if (!key.empty() && start.key && start.key->key_id != key_id(key))
      return Result<ChainReport>::failure(
          "audit.key_file is not the key the change log is sealed with (key id " +
          start.key->key_id + ")");
    report.keyed_from = start.key ? start.key->last_id + 1 : 0;
    auto broken = [&](std::int64_t id, std::string problem) {
      report.verdict = ChainVerdict::broken;
      report.first_bad_id = id;
      report.problem = std::move(problem);
      return report;
    };
    if (auto problem = checkpoint_problem(start, key); !problem.empty())
      return broken(start.pruned ? start.pruned->last_id : 0, problem);
    ChainWalker walker(key, start.key, start.pruned ? start.pruned->last_id : 0,
                       start.pruned ? start.pruned->last_hash : "");
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT " << kStoredColumns << " FROM ps_change_log ORDER BY id");
      for (const auto& row : rows)
        if (!walker.feed(stored_from_row(row))) break;
    }
    report.sealed = walker.checked() + walker.unchecked();
    report.head = {walker.last_id(), walker.last_hash()};
    if (!walker.finish()) return broken(walker.first_bad_id(), walker.problem());
    if (start.key && start.key->last_id > walker.last_id())
      return broken(walker.last_id() + 1,
                    "the log ends at record " + std::to_string(walker.last_id()) +
                        ", but the key checkpoint names record " +
                        std::to_string(start.key->last_id) + ": the newest records were removed");
    check_anchors(sql, start, anchors, report);
    if (report.verdict == ChainVerdict::broken) return report;
    report.weakness = weakness(start, key, walker.unchecked());
    if (!report.weakness.empty()) report.verdict = ChainVerdict::not_tamper_evident;
  } catch (const std::exception& e) {
    return Result<ChainReport>::failure("cannot read the change log: " + database_error(e));
  }
  return report;
}

Result<AuditAnchor> change_log_anchor(soci::session& sql) {
  try {
    AuditAnchor a;
    long long id = 0;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT id, hash FROM ps_change_log ORDER BY id DESC LIMIT 1", soci::into(id),
        soci::into(a.hash, ind);
    if (sql.got_data()) {
      a.seq = id;
      if (ind == soci::i_null) a.hash.clear();
      return a;
    }
    if (auto c = latest_prune_checkpoint(sql)) return AuditAnchor{c->last_id, c->last_hash};
    if (auto k = read_key_checkpoint(sql)) return AuditAnchor{k->last_id, k->last_hash};
    return a;
  } catch (const std::exception& e) {
    return Result<AuditAnchor>::failure("cannot read the change log: " + database_error(e));
  }
}

Result<std::optional<RowId>> change_log_account_id(soci::session& sql,
                                                   const std::string& username) {
  try {
    long long id = 0;
    sql << "SELECT subject_id FROM ps_change_log WHERE kind = 'account' AND subject_name = :n "
           "AND subject_id > 0 ORDER BY id DESC LIMIT 1",
        soci::use(username), soci::into(id);
    if (!sql.got_data()) return std::optional<RowId>();
    return std::optional<RowId>(static_cast<RowId>(id));
  } catch (const std::exception& e) {
    return Result<std::optional<RowId>>::failure("cannot query the change log: " +
                                                 database_error(e));
  }
}

namespace {

std::string id_list(const std::vector<RowId>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out;
}

// A record whose result as shown is :result: an intent's is its outcome record's once there is
// one, else its own (before schema 12 the intent was updated too; then both say the same, which
// verify checks). Looked up per record through ps_change_log_outcome, so the cost follows the
// records the other conditions leave (a day, a unit), not how many share the result.
constexpr const char* kShownResultIs =
    "(EXISTS (SELECT 1 FROM ps_change_log o WHERE o.outcome_of = ps_change_log.id AND "
    "o.result = :result) OR (result = :result_own AND NOT EXISTS (SELECT 1 FROM ps_change_log o "
    "WHERE o.outcome_of = ps_change_log.id)))";

// Gives each intent read the result and message of its outcome record, where it has one.
void show_outcomes(soci::session& sql, std::vector<ChangeRecord>& records) {
  std::unordered_map<std::int64_t, ChangeRecord*> intents;
  std::vector<RowId> ids;
  for (auto& r : records)
    if (r.result == "pending") {
      intents.emplace(r.id, &r);
      ids.push_back(r.id);
    }
  for (const auto& list : in_lists(ids, sql_integer)) {
    soci::rowset<soci::row> rows =
        (sql.prepare
         << "SELECT outcome_of, result, message FROM ps_change_log WHERE outcome_of IN (" << list
         << ")");
    for (const auto& row : rows) {
      auto intent = intents.find(column_int(row, 0));
      if (intent == intents.end()) continue;
      intent->second->result = column_text(row, 1);
      intent->second->message = column_text(row, 2);
    }
  }
}

}  // namespace

Result<std::vector<ChangeRecord>> query_change_log(soci::session& sql, const AuditFilter& f) {
  // Outcome records are shown through their intent (show_outcomes).
  std::string where = "id > " + std::to_string(f.after_id) + " AND outcome_of IS NULL";
  // Values are bound; only the shape of the query is built here.
  if (f.account_id) where += " AND kind = 'account' AND subject_id = :account";
  if (!f.unit_ids.empty()) {
    // A transfer is found from the unit it left as well as from the one it went to. By agency, a
    // record that names one is found by it (its unit may have moved since); older records, and
    // those written while no unit was marked, by their unit.
    auto units = id_list(f.unit_ids);
    auto by_unit = "unit_id IN (" + units + ")";
    if (!f.agency_ids.empty())
      by_unit =
          "(agency_id IS NULL AND " + by_unit + ") OR agency_id IN (" + id_list(f.agency_ids) + ")";
    where += " AND (" + by_unit + " OR from_unit_id IN (" + units + "))";
  }
  if (!f.actor.empty()) where += " AND actor = :actor";
  if (!f.category.empty()) where += " AND category = :category";
  if (!f.result.empty()) where += std::string(" AND ") + kShownResultIs;
  if (!f.from.empty()) where += " AND at >= :from";
  if (!f.to.empty()) where += " AND at < :to";
  std::vector<ChangeRecord> out;
  try {
    long long account = f.account_id.value_or(0);
    std::string query = std::string("SELECT ") + kStoredColumns + " FROM ps_change_log WHERE " +
                        where + " ORDER BY id LIMIT " + std::to_string(f.limit);
    soci::details::prepare_temp_type prepared = (sql.prepare << query);
    if (f.account_id) prepared, soci::use(account, "account");
    if (!f.actor.empty()) prepared, soci::use(f.actor, "actor");
    if (!f.category.empty()) prepared, soci::use(f.category, "category");
    if (!f.result.empty())
      prepared, soci::use(f.result, "result"), soci::use(f.result, "result_own");
    if (!f.from.empty()) prepared, soci::use(f.from, "from");
    if (!f.to.empty()) prepared, soci::use(f.to, "to");
    soci::rowset<soci::row> rows(prepared);
    for (const auto& row : rows) out.push_back(stored_from_row(row).record);
    show_outcomes(sql, out);
  } catch (const std::exception& e) {
    return Result<std::vector<ChangeRecord>>::failure("cannot query the change log: " +
                                                      database_error(e));
  }
  return out;
}

}  // namespace ps
