// The API host's idempotency records (table ps_apihost_requests in a SQLite file): one row per
// operation key, written as "pending" before the operation goes to the directory and updated with
// its result after. A key seen again gets its stored result back instead of a second
// application, also after a restart. A key still "pending" (the host stopped between the two
// writes) has an unknown outcome: it is refused rather than applied again, and the next sync,
// which plans from what the directory holds, finishes the job. Records older than
// idempotency.retain_days are pruned (RecordPruner): no client retries a key for that long.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct sqlite3;

namespace ps::apihost {

// pending: written before the operation is sent; applied or refused once the directory answered.
// A record left pending (the host stopped, or no answer came) replays as outcome_unknown.
enum class RecordResult { pending, applied, refused };
std::string_view to_string(RecordResult result);

struct RequestRecord {
  std::string key;
  std::string caller;   // "token-name (client certificate subject)"
  std::string summary;  // "modify CN=..." (never a password)
  RecordResult result = RecordResult::pending;
  std::string message;
  std::string anchor;
  std::string at;  // UTC, ISO 8601
};

class RequestLog {
 public:
  static Result<std::unique_ptr<RequestLog>> open(const std::string& path);
  ~RequestLog();

  Result<std::optional<RequestRecord>> find(const std::string& key);
  // Writes every record as pending in one transaction, durably, before anything is applied.
  Status begin(const std::vector<RequestRecord>& records);
  // Stores the results (one transaction).
  Status finish(const std::vector<RequestRecord>& records);
  // Deletes up to `at_most` records last written more than `older_than_days` days ago (one
  // statement, so the write lock is held briefly); returns how many went.
  Result<std::size_t> prune(int older_than_days, std::size_t at_most);

 private:
  explicit RequestLog(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status exec(const std::string& sql);
  Status write(const std::vector<RequestRecord>& records, const char* sql);

  sqlite3* db_;
  std::string path_;
};

}  // namespace ps::apihost
