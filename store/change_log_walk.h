// Walking a stretch of the change-log chain record by record, the same way for the records in the
// database (audit verify) and for those in a prune's export file (audit verify --export).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "store/change_log_seal.h"

namespace ps {

class ChainWalker {
 public:
  // The stretch continues the chain after record `start_id` whose hash is `start_hash` (0 and ""
  // at the very beginning of the log).
  ChainWalker(std::string key, std::optional<KeyCheckpoint> key_checkpoint, std::int64_t start_id,
              std::string start_hash);

  // Checks the next record; false (with problem() set) at the first thing wrong.
  bool feed(const StoredRecord& s);
  // After the last record: every outcome an intent shows was given by a sealed outcome record
  // (an intent that shows none may still be pending).
  bool finish();

  const std::string& problem() const { return problem_; }
  std::int64_t first_bad_id() const { return first_bad_id_; }
  std::int64_t last_id() const { return previous_id_; }
  const std::string& last_hash() const { return expected_prev_; }
  std::int64_t checked() const { return checked_; }
  std::int64_t unchecked() const { return unchecked_; }  // keyed records, without the key

 private:
  bool broken(std::int64_t id, std::string problem);
  bool check_hash(const StoredRecord& s);
  bool check_outcome(const StoredRecord& s);

  // What an intent shows of its outcome: nothing ("" result) unless a version before schema 12
  // updated it.
  struct Shown {
    std::string result, message, completed_at;
  };
  std::string key_;
  std::optional<KeyCheckpoint> key_checkpoint_;
  std::int64_t start_id_;
  std::int64_t previous_id_;
  std::string expected_prev_;
  std::map<std::int64_t, Shown> awaiting_;  // intents whose outcome record is not yet seen
  std::int64_t checked_ = 0, unchecked_ = 0, first_bad_id_ = 0;
  std::string problem_;
};

}  // namespace ps
