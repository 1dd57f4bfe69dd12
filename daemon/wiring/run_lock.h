// One sync at a time per portal database: a second run (a CLI sync while the daemon works) would
// mark the first one's in-flight change-log records as interrupted. An flock on a file beside the
// SQLite database; released when the process exits, however it exits.
#pragma once

#include <string>

#include "core/result.h"

namespace ps {

class RunLock {
 public:
  // Takes the lock for the portal database `url`, or fails saying who holds it.
  static Result<RunLock> acquire(const std::string& url);
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ps
