#include "store/database_lock.h"

#include "store/database.h"
#include "store/dialect.h"

namespace ps {

namespace {

class AdvisoryLock : public DatabaseLock {
 public:
  explicit AdvisoryLock(std::unique_ptr<soci::session> sql) : sql_(std::move(sql)) {}

 private:
  std::unique_ptr<soci::session> sql_;  // the lock lives as long as this connection
};

}  // namespace

Result<std::unique_ptr<DatabaseLock>> take_database_run_lock(const std::string& url) {
  using R = Result<std::unique_ptr<DatabaseLock>>;
  auto db = open_database(url, true);
  if (!db) return Error{db.error(), db.code()};
  try {
    auto& sql = *db.value();
    if (!dialect_of(sql).try_session_lock(sql, kRunLockKey))
      return R::failure(StatusCode::conflict, run_lock_held(url));
    return std::unique_ptr<DatabaseLock>(new AdvisoryLock(std::move(db.value())));
  } catch (const std::exception& e) {
    return R::failure("portal database " + database_label(url) +
                      ": cannot take the run lock: " + database_error(e));
  }
}

std::string run_lock_held(const std::string& url) {
  return "another sync is running on portal database " + database_label(url) +
         " (it holds the run lock); wait for it to finish";
}

}  // namespace ps
