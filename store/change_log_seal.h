// Sealing the change log as it is written. Every record gets its hash in the transaction that
// inserts it, computed from the values portalsync writes (never from what is in the table), so no
// unsealed record is ever trusted or sealed later. From the record after the key checkpoint on
// (written by `portalsync db init` with audit.key_file, store/change_log_key.cc) the hash is
// HMAC-SHA256 under the key; before it, plain SHA-256 (the chains of earlier versions).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/change_log.h"
#include "core/result.h"
#include "store/change_log_agency.h"

namespace ps {

// hash = HMAC-SHA256(key, prev + "\n" + canonical), or SHA-256 of the same bytes without a key.
std::string record_hash(const std::string& key, const std::string& prev,
                        const std::string& canonical);

// A record as stored, with the columns its hash covers besides the ChangeRecord.
struct StoredRecord {
  ChangeRecord record;
  std::string completed_at, prev_hash, hash;
  std::int64_t outcome_of = 0;
  bool sealed = false;  // hash is not NULL
};

// The column list from_row reads, in order.
extern const char* const kStoredColumns;
StoredRecord stored_from_row(const soci::row& r);

// The point where keyed sealing starts: records with an id above last_id are sealed with the
// key whose id (key_id(), an HMAC of a constant: it does not reveal the key) is stored here.
struct KeyCheckpoint {
  std::int64_t last_id = 0;
  std::string last_hash, key_id, signature, created_at;
};
std::string key_id(const std::string& key);
std::string key_checkpoint_message(const KeyCheckpoint& c);
std::optional<KeyCheckpoint> read_key_checkpoint(soci::session& sql);

// The hash the next record continues from: the newest sealed record's, or, when every sealed
// record was pruned, the newest checkpoint's.
std::string chain_head_hash(soci::session& sql, std::int64_t before_id);

// Appends records inside the caller's write transaction, each sealed as it is inserted: no record
// is ever updated.
// Throws std::runtime_error when the log is sealed with a key this store was not given (a write
// then would break the chain). With a fencing number (an elected node, store/leader_lease.h),
// every record carries it, and nothing is written once another node has claimed a newer one.
// Each record names the agency of its unit (store/change_log_agency.h); an outcome its intent's.
class ChainAppender {
 public:
  ChainAppender(soci::session& sql, const std::string& key, std::int64_t fence = 0);
  // Appends a final record (one that awaits no outcome) and returns its id.
  std::int64_t append(const ChangeRecord& r);

  // A record to append: final or an intent (outcome_of 0), or the outcome of intent outcome_of.
  struct Appending {
    ChangeRecord record;
    std::string completed_at;
    std::int64_t outcome_of = 0;
  };
  // Appends them in order and returns their ids: one INSERT, sealed, with ids reserved beforehand
  // (two statements for the lot instead of two per record).
  std::vector<std::int64_t> append_all(const std::vector<Appending>& records);

 private:
  void start(std::int64_t first_id);
  // The record as sealed with `id`: fence, agency and (returned) hash; prev_ moves on to it.
  std::string seal(ChangeRecord& r, std::int64_t id, const std::string& completed_at,
                   std::int64_t outcome_of);
  soci::session& sql_;
  const std::string& key_;
  std::int64_t fence_;
  bool started_ = false;
  std::string hash_key_;  // key_ once keyed sealing started, else ""
  std::string prev_;
  RecordAgencies agencies_;
};

// Seals, with plain SHA-256 and in id order, every record an earlier version left unsealed (its
// intents still pending, or a run in progress). Only `db init` calls it, when migrating.
Status seal_legacy_records(soci::session& sql);

}  // namespace ps
