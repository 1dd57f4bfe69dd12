#include "store/change_log_audit.h"

#include <openssl/evp.h>

#include <unordered_map>

#include "store/change_log_retention.h"
#include "store/database.h"

namespace ps {

namespace {

const char* kColumns =
    "id, run_id, at, actor, operation, kind, subject_id, subject_name, unit_id, dn, new_dn, "
    "before_json, after_json, category, reason, result, message, correlation_id, completed_at, "
    "prev_hash, hash";

struct StoredRecord {
  ChangeRecord record;
  std::string completed_at, prev_hash, hash;
};

StoredRecord from_row(const soci::row& r) {
  StoredRecord s;
  auto& c = s.record;
  c.id = column_int(r, 0);
  c.run_id = column_int(r, 1);
  c.at = column_text(r, 2);
  c.actor = column_text(r, 3);
  c.operation = column_text(r, 4);
  c.kind = parse_object_kind(column_text(r, 5)).value_or(ObjectKind::account);
  c.subject_id = column_int(r, 6);
  c.subject_name = column_text(r, 7);
  c.unit_id = column_int(r, 8);
  c.dn = column_text(r, 9);
  c.new_dn = column_text(r, 10);
  c.before_json = column_text(r, 11);
  c.after_json = column_text(r, 12);
  c.category = column_text(r, 13);
  c.reason = column_text(r, 14);
  c.result = column_text(r, 15);
  c.message = column_text(r, 16);
  c.correlation_id = column_text(r, 17);
  s.completed_at = column_text(r, 18);
  s.prev_hash = column_text(r, 19);
  s.hash = column_text(r, 20);
  return s;
}

std::string sha256_hex(const std::string& prev, const std::string& canonical) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev.data(), prev.size());
  EVP_DigestUpdate(ctx, "\n", 1);
  EVP_DigestUpdate(ctx, canonical.data(), canonical.size());
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string hash_of(const StoredRecord& s) {
  return sha256_hex(s.prev_hash, canonical_record(s.record, s.completed_at));
}

}  // namespace

Status seal_change_log(soci::session& sql) {
  std::string prev;
  soci::indicator ind;
  long long last_sealed = 0;
  sql << "SELECT id, hash FROM ps_change_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1",
      soci::into(last_sealed, ind), soci::into(prev, ind);
  if (!sql.got_data()) {
    // Everything sealed was pruned: the chain continues from the retention checkpoint.
    prev.clear();
    sql << "SELECT last_hash FROM ps_audit_checkpoints ORDER BY id DESC LIMIT 1",
        soci::into(prev, ind);
    if (!sql.got_data()) prev.clear();
  }
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kColumns
                   << " FROM ps_change_log WHERE hash IS NULL ORDER BY id");
  std::vector<std::pair<long long, std::pair<std::string, std::string>>> seals;
  for (const auto& row : rows) {
    auto s = from_row(row);
    if (s.record.result == "pending") break;  // sealed once its outcome is known
    s.prev_hash = prev;
    prev = hash_of(s);
    seals.push_back({s.record.id, {s.prev_hash, prev}});
  }
  long long id = 0;
  std::string p, h;
  soci::statement st =
      (sql.prepare << "UPDATE ps_change_log SET prev_hash = :p, hash = :h WHERE id = :i",
       soci::use(p), soci::use(h), soci::use(id));
  for (const auto& [record_id, hashes] : seals) {
    id = record_id;
    p = hashes.first;
    h = hashes.second;
    st.execute(true);
  }
  return Status::ok();
}

Result<ChainReport> verify_change_log(soci::session& sql, const std::string& key) {
  ChainReport report;
  auto checkpoint = latest_checkpoint(sql, key);
  if (!checkpoint) return Result<ChainReport>::failure(checkpoint.error());
  if (!checkpoint->signature_problem.empty() && !key.empty()) {
    report.intact = false;
    report.first_bad_id = checkpoint->last_id;
    report.problem = checkpoint->signature_problem;
    return report;
  }
  try {
    // First pass: where each hash is, to tell a reordered record from an inserted one.
    std::unordered_map<std::string, std::int64_t> position;
    soci::rowset<soci::row> hashes =
        (sql.prepare << "SELECT id, hash FROM ps_change_log WHERE hash IS NOT NULL");
    for (const auto& r : hashes)
      position.emplace(column_text(r, 1).substr(0, 16), column_int(r, 0));
    sql << "SELECT count(*) FROM ps_change_log WHERE hash IS NULL", soci::into(report.unsealed);

    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kColumns
                     << " FROM ps_change_log WHERE hash IS NOT NULL ORDER BY id");
    // After a prune the chain continues from the checkpoint's record.
    std::string expected_prev = checkpoint->last_hash;
    std::int64_t previous_id = checkpoint->last_id;
    auto broken = [&](std::int64_t id, std::string problem) {
      report.intact = false;
      report.first_bad_id = id;
      report.problem = std::move(problem);
    };
    for (const auto& row : rows) {
      auto s = from_row(row);
      auto id = s.record.id;
      ++report.sealed;
      if (previous_id != 0 && id != previous_id + 1) {
        broken(previous_id + 1,
               "record " + std::to_string(previous_id + 1) + " was removed (the chain goes from " +
                   std::to_string(previous_id) + " to " + std::to_string(id) + ")");
        break;
      }
      if (s.prev_hash != expected_prev) {
        auto moved = position.find(s.prev_hash.substr(0, 16));
        broken(id, moved != position.end()
                       ? "record " + std::to_string(id) + " is out of order (it follows record " +
                             std::to_string(moved->second) + ")"
                       : "record " + std::to_string(id) +
                             " was inserted (it follows no record of the chain)");
        break;
      }
      if (hash_of(s) != s.hash) {
        broken(id, "record " + std::to_string(id) + " was changed after it was sealed");
        break;
      }
      expected_prev = s.hash;
      previous_id = id;
    }
  } catch (const std::exception& e) {
    return Result<ChainReport>::failure("cannot read the change log: " + database_error(e));
  }
  return report;
}

Result<std::vector<ChangeRecord>> query_change_log(soci::session& sql, const AuditFilter& f) {
  std::string where = "id > " + std::to_string(f.after_id);
  // Values are bound; only the shape of the query is built here.
  if (f.account_id) where += " AND kind = 'account' AND subject_id = :account";
  if (!f.unit_ids.empty()) {
    where += " AND unit_id IN (";
    for (std::size_t i = 0; i < f.unit_ids.size(); ++i)
      where += (i ? "," : "") + std::to_string(f.unit_ids[i]);
    where += ")";
  }
  if (!f.actor.empty()) where += " AND actor = :actor";
  if (!f.category.empty()) where += " AND category = :category";
  if (!f.result.empty()) where += " AND result = :result";
  if (!f.from.empty()) where += " AND at >= :from";
  if (!f.to.empty()) where += " AND at < :to";
  std::vector<ChangeRecord> out;
  try {
    long long account = f.account_id.value_or(0);
    std::string query = std::string("SELECT ") + kColumns + " FROM ps_change_log WHERE " + where +
                        " ORDER BY id LIMIT " + std::to_string(f.limit);
    soci::details::prepare_temp_type prepared = (sql.prepare << query);
    if (f.account_id) prepared, soci::use(account, "account");
    if (!f.actor.empty()) prepared, soci::use(f.actor, "actor");
    if (!f.category.empty()) prepared, soci::use(f.category, "category");
    if (!f.result.empty()) prepared, soci::use(f.result, "result");
    if (!f.from.empty()) prepared, soci::use(f.from, "from");
    if (!f.to.empty()) prepared, soci::use(f.to, "to");
    soci::rowset<soci::row> rows(prepared);
    for (const auto& row : rows) out.push_back(from_row(row).record);
  } catch (const std::exception& e) {
    return Result<std::vector<ChangeRecord>>::failure("cannot query the change log: " +
                                                      database_error(e));
  }
  return out;
}

}  // namespace ps
