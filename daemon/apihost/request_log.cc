#include "daemon/apihost/request_log.h"

#include <sqlite3.h>

namespace ps::apihost {

namespace {

constexpr const char* kSchema = R"(
  CREATE TABLE IF NOT EXISTS ps_apihost_requests (
    key TEXT PRIMARY KEY,
    caller TEXT NOT NULL,
    summary TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pending', 'applied', 'refused')),
    message TEXT NOT NULL DEFAULT '',
    anchor TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
  );
  CREATE INDEX IF NOT EXISTS ps_apihost_requests_at ON ps_apihost_requests(at))";

std::string column(sqlite3_stmt* st, int i) {
  auto text = sqlite3_column_text(st, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

Result<std::unique_ptr<RequestLog>> RequestLog::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{"apihost.database " + path + ": cannot open: " + message};
  }
  std::unique_ptr<RequestLog> log(new RequestLog(db, path));
  sqlite3_busy_timeout(db, 5000);
  // WAL with synchronous=FULL: a committed "pending" survives a crash or a power cut.
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", kSchema})
    if (auto s = log->exec(sql); !s) return Error{s.message()};
  return log;
}

RequestLog::~RequestLog() { sqlite3_close(db_); }

Status RequestLog::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return Status::ok();
  std::string message = error ? error : "unknown error";
  sqlite3_free(error);
  return Status::error("apihost.database " + path_ + ": " + message);
}

namespace {

// The table's CHECK allows only the three names; anything else would read as pending (unknown).
RecordResult record_result(std::string_view text) {
  for (auto r : {RecordResult::applied, RecordResult::refused})
    if (to_string(r) == text) return r;
  return RecordResult::pending;
}

}  // namespace

std::string_view to_string(RecordResult result) {
  switch (result) {
    case RecordResult::applied:
      return "applied";
    case RecordResult::refused:
      return "refused";
    case RecordResult::pending:
      break;
  }
  return "pending";
}

Result<std::optional<RequestRecord>> RequestLog::find(const std::string& key) {
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT key, caller, summary, result, message, anchor, at FROM ps_apihost_requests "
      "WHERE key = ?";
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    return Error{"apihost.database " + path_ + ": " + sqlite3_errmsg(db_)};
  sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  std::optional<RequestRecord> found;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    found = RequestRecord{column(st, 0), column(st, 1), column(st, 2), record_result(column(st, 3)),
                          column(st, 4), column(st, 5), column(st, 6)};
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return Error{"apihost.database " + path_ + ": " + sqlite3_errmsg(db_)};
  return found;
}

Status RequestLog::write(const std::vector<RequestRecord>& records, const char* sql) {
  if (records.empty()) return Status::ok();
  if (auto s = exec("BEGIN IMMEDIATE"); !s) return s;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
    exec("ROLLBACK");
    return Status::error("apihost.database " + path_ + ": " + sqlite3_errmsg(db_));
  }
  for (const auto& r : records) {
    sqlite3_reset(st);
    int i = 0;
    const std::string result(to_string(r.result));
    for (const auto* value : {&r.key, &r.caller, &r.summary, &result, &r.message, &r.anchor})
      sqlite3_bind_text(st, ++i, value->c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_finalize(st);
      exec("ROLLBACK");
      return Status::error("apihost.database " + path_ + ": " + message);
    }
  }
  sqlite3_finalize(st);
  return exec("COMMIT");
}

Status RequestLog::begin(const std::vector<RequestRecord>& records) {
  return write(records,
               "INSERT INTO ps_apihost_requests(key, caller, summary, result, message, anchor) "
               "VALUES (?, ?, ?, ?, ?, ?)");
}

Result<std::size_t> RequestLog::prune(int older_than_days, std::size_t at_most) {
  // `at` is ISO 8601 UTC text, so text order is time order (and the index serves the range).
  const char* sql =
      "DELETE FROM ps_apihost_requests WHERE rowid IN (SELECT rowid FROM ps_apihost_requests "
      "WHERE at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1) LIMIT ?2)";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    return Error{"apihost.database " + path_ + ": cannot prune: " + sqlite3_errmsg(db_)};
  auto age = "-" + std::to_string(older_than_days) + " days";
  sqlite3_bind_text(st, 1, age.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(at_most));
  int rc = sqlite3_step(st);
  std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Error{"apihost.database " + path_ + ": cannot prune: " + message};
  return static_cast<std::size_t>(sqlite3_changes(db_));
}

Status RequestLog::finish(const std::vector<RequestRecord>& records) {
  return write(records,
               "UPDATE ps_apihost_requests SET caller = ?2, summary = ?3, result = ?4, "
               "message = ?5, anchor = ?6, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
               "WHERE key = ?1");
}

}  // namespace ps::apihost
