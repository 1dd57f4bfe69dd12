#include "daemon/wiring/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <string>

#include "store/database.h"

namespace ps {

Result<RunLock> RunLock::acquire(const std::string& url) {
  auto db = sqlite_path(url);
  if (db.empty()) {
    auto lock = take_database_run_lock(url);
    if (!lock) return Error{lock.error(), lock.code()};
    return RunLock(std::move(lock.value()));
  }
  auto path = db + ".sync-lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Result<RunLock>::failure("cannot open the run lock " + path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[32] = {0};
    auto n = pread(fd, holder, sizeof holder - 1, 0);
    close(fd);
    return Result<RunLock>::failure(
        "another sync is running on this portal database" +
        (n > 0 ? " (pid " + std::string(holder, static_cast<std::size_t>(n)) + ")"
               : std::string()) +
        "; wait for it to finish");
  }
  auto pid = std::to_string(getpid());
  if (ftruncate(fd, 0) == 0 && pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only a hint for the message above; the lock holds without it.
  }
  return RunLock(fd);
}

Result<RunLock> RunLock::acquire(const std::string& url, DatabaseLeaderLease& lease) {
  if (!sqlite_path(url).empty()) return acquire(url);
  auto lock = lease.take_run_lock();
  if (!lock) return Error{lock.error(), lock.code()};
  return RunLock(std::move(lock.value()));
}

RunLock::~RunLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace ps
