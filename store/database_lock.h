// The run lock of a portal database on a server (PostgreSQL, MariaDB): a session-level lock held
// on a connection of its own, so it lasts as long as the holder, and the server releases it when
// the holder's connection ends, however the process ends. (SQLite's run lock is a file lock
// beside the database, daemon/wiring/run_lock.cc.)
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace ps {

class DatabaseLock {
 public:
  virtual ~DatabaseLock() = default;
};

// The run lock's key among the session locks of store/dialect.h: "psrun" in ASCII.
constexpr long long kRunLockKey = 0x707372756e;

// Takes the run lock, or fails with a StatusCode::conflict when another process holds it.
Result<std::unique_ptr<DatabaseLock>> take_database_run_lock(const std::string& url);

// The conflict's message: who to wait for.
std::string run_lock_held(const std::string& url);

}  // namespace ps
