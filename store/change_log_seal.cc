#include "store/change_log_seal.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "core/audit.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/leader_lease.h"

namespace ps {

namespace {

std::string hex(const unsigned char* bytes, unsigned length) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

std::string record_hash(const std::string& key, const std::string& prev,
                        const std::string& canonical) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (key.empty()) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, prev.data(), prev.size());
    EVP_DigestUpdate(ctx, "\n", 1);
    EVP_DigestUpdate(ctx, canonical.data(), canonical.size());
    EVP_DigestFinal_ex(ctx, digest, &length);
    EVP_MD_CTX_free(ctx);
    return hex(digest, length);
  }
  auto message = prev + "\n" + canonical;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return hex(digest, length);
}

const char* const kStoredColumns =
    "id, run_id, at, actor, operation, kind, subject_id, subject_name, unit_id, dn, new_dn, "
    "before_json, after_json, category, reason, result, message, correlation_id, completed_at, "
    "prev_hash, hash, outcome_of, from_unit_id, fence, agency_id";

StoredRecord stored_from_row(const soci::row& r) {
  StoredRecord s;
  auto& c = s.record;
  c.id = column_int(r, 0);
  c.run_id = column_int(r, 1);
  c.at = column_text(r, 2);
  c.actor = column_text(r, 3);
  c.operation = column_text(r, 4);
  c.kind = parse_subject_kind(column_text(r, 5)).value_or(SubjectKind::account);
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
  s.sealed = r.get_indicator(20) != soci::i_null;
  s.hash = column_text(r, 20);
  s.outcome_of = column_int(r, 21);
  c.from_unit_id = column_int(r, 22);
  c.fence = column_int(r, 23);
  c.agency_id = column_int(r, 24);
  return s;
}

std::string key_id(const std::string& key) {
  return record_hash(key, "portalsync audit key id", "").substr(0, 16);
}

std::string key_checkpoint_message(const KeyCheckpoint& c) {
  return "key|" + std::to_string(c.last_id) + "|" + c.last_hash + "|" + c.key_id + "|" +
         c.created_at;
}

std::optional<KeyCheckpoint> read_key_checkpoint(soci::session& sql) {
  KeyCheckpoint c;
  long long last_id = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT last_id, last_hash, key_id, signature, created_at FROM ps_audit_checkpoints "
         "WHERE kind = 'key' ORDER BY id LIMIT 1",
      soci::into(last_id), soci::into(c.last_hash), soci::into(c.key_id, ind),
      soci::into(c.signature), soci::into(c.created_at);
  if (!sql.got_data()) return std::nullopt;
  c.last_id = last_id;
  return c;
}

std::string chain_head_hash(soci::session& sql, std::int64_t before_id) {
  std::string prev;
  long long before = before_id;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT hash FROM ps_change_log WHERE id < :b AND hash IS NOT NULL ORDER BY id DESC "
         "LIMIT 1",
      soci::into(prev, ind), soci::use(before);
  if (sql.got_data() && ind == soci::i_ok) return prev;
  prev.clear();
  sql << "SELECT last_hash FROM ps_audit_checkpoints ORDER BY last_id DESC, id DESC LIMIT 1",
      soci::into(prev, ind);
  return sql.got_data() ? prev : "";
}

// Nobody appends between this transaction's reading the head and its commit: this takes the change
// log's lock (on SQLite the database's write lock) until the transaction ends.
ChainAppender::ChainAppender(soci::session& sql, const std::string& key, std::int64_t fence)
    : sql_(sql), key_(key), fence_(fence), agencies_(sql) {
  dialect_of(sql_).lock_change_log(sql_);
}

// Runs under the change log's lock, which the constructor took.
void ChainAppender::start(std::int64_t first_id) {
  started_ = true;
  if (fence_ != 0) {
    // Claims take the same lock (claim_fence), so no claim comes between this check and commit.
    auto claimed = read_leadership(sql_);
    if (claimed.fence != fence_)
      throw std::runtime_error("fenced off: " + claimed.holder + " became the active node with " +
                               "fencing number " + std::to_string(claimed.fence) +
                               " (this node has " + std::to_string(fence_) +
                               "): this node writes nothing more");
  }
  if (auto checkpoint = read_key_checkpoint(sql_)) {
    if (key_.empty())
      throw std::runtime_error(
          "the change log is sealed with audit.key_file since record " +
          std::to_string(checkpoint->last_id + 1) +
          ", and this configuration names no key: nothing is written without it");
    if (key_id(key_) != checkpoint->key_id)
      throw std::runtime_error(
          "audit.key_file is not the key the change log is sealed with (key id " +
          checkpoint->key_id + "): nothing is written with another key");
    hash_key_ = key_;
  }
  prev_ = chain_head_hash(sql_, first_id);
}

std::int64_t ChainAppender::append(const ChangeRecord& r) {
  return append_all({{r, "", 0}}).front();
}

std::string ChainAppender::seal(ChangeRecord& r, std::int64_t id, const std::string& completed_at,
                                std::int64_t outcome_of) {
  r.id = id;
  r.fence = fence_;
  if (outcome_of == 0)
    r.agency_id = agencies_.agency_of(r.unit_id);  // an outcome keeps its intent's
  prev_ = record_hash(hash_key_, prev_, canonical_record(r, completed_at, outcome_of));
  return prev_;
}

Status seal_legacy_records(soci::session& sql) {
  try {
    std::vector<StoredRecord> unsealed;
    {
      soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kStoredColumns
                                                  << " FROM ps_change_log WHERE hash IS NULL "
                                                     "ORDER BY id");
      for (const auto& row : rows) unsealed.push_back(stored_from_row(row));
    }
    if (unsealed.empty()) return Status::ok();
    auto prev = chain_head_hash(sql, unsealed.front().record.id);
    long long id = 0;
    std::string p, h;
    soci::statement st =
        (sql.prepare << "UPDATE ps_change_log SET prev_hash = :p, hash = :h WHERE id = :i",
         soci::use(p), soci::use(h), soci::use(id));
    for (const auto& s : unsealed) {
      p = prev;
      h = record_hash("", prev, canonical_record(s.record, s.completed_at));
      id = s.record.id;
      st.execute(true);
      prev = h;
    }
  } catch (const std::exception& e) {
    return Status::error("cannot seal the change log: " + database_error(e));
  }
  return Status::ok();
}

}  // namespace ps
