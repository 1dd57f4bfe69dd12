// One sync at a time per portal database: a second run (a CLI sync while the daemon works) would
// mark the first one's in-flight change-log records as interrupted. An flock on a file beside the
// SQLite database, or the database server's advisory lock (store/database_lock.h); released when
// the process exits, however it exits.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/database_lock.h"
#include "store/leader_lease.h"

namespace ps {

class RunLock {
 public:
  // Takes the lock for the portal database `url`, or fails saying who holds it.
  static Result<RunLock> acquire(const std::string& url);
  // The same for a portalsyncd node: on a database server, on its lease's session
  // (store/leader_lease.h says why).
  static Result<RunLock> acquire(const std::string& url, DatabaseLeaderLease& lease);
  RunLock(RunLock&& other) noexcept : fd_(other.fd_), server_lock_(std::move(other.server_lock_)) {
    other.fd_ = -1;
  }
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  explicit RunLock(std::unique_ptr<DatabaseLock> lock) : fd_(-1), server_lock_(std::move(lock)) {}
  int fd_;
  std::unique_ptr<DatabaseLock> server_lock_;
};

}  // namespace ps
