#include "store/leader_lease.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

#include "core/clock.h"
#include "store/database.h"
#include "store/database_failure.h"
#include "store/dialect.h"

namespace ps {

namespace {

// Any constant: "psleader" in ASCII.
constexpr long long kLeaderLock = 0x70736c6561646572;

std::string now_utc() { return format_utc(std::chrono::system_clock::now()); }

// A database that refuses (a wrong password, a missing grant) stays refused; every other failure
// of the lease's round trips means the database did not answer as it should.
StatusCode lease_failure(StatusCode code) {
  return code == StatusCode::refused ? code : StatusCode::unavailable;
}

std::string describe(const Leadership& l) {
  return l.fence == 0 ? std::string("no node yet")
                      : l.holder + " (fencing number " + std::to_string(l.fence) + ", since " +
                            l.since + ")";
}

// Shared by both kinds: the fencing number and who is active, read on a short session.
class LeaseBase : public DatabaseLeaderLease {
 public:
  LeaseBase(std::string url, std::string holder)
      : url_(std::move(url)), holder_(std::move(holder)) {}
  std::int64_t fence() const override { return fence_; }
  Result<Leadership> active() override {
    auto db = open_database(url_, true);
    if (!db) return Error{db.error(), StatusCode::unavailable};
    try {
      return read_leadership(*db.value());
    } catch (const std::exception& e) {
      return Error{"portal database " + database_label(url_) +
                       ": cannot read who is active: " + database_error(e),
                   StatusCode::unavailable};
    }
  }

 protected:
  std::string url_, holder_;
  std::atomic<std::int64_t> fence_{0};
};

// A session lock on its own connection. Every proof is a round trip on that connection that also
// reads the fencing number: a session that failed, answered late, or sees a newer claim means
// the lease is lost, and the connection is closed so that the server frees the lock if it still
// holds it.
class SessionLease : public LeaseBase {
  // The run lock on the lease's session; gone with the session if the lease was lost meanwhile.
  class RunLockOnLease : public DatabaseLock {
   public:
    RunLockOnLease(SessionLease& lease, std::uint64_t session) : lease_(lease), session_(session) {}
    ~RunLockOnLease() override { lease_.release_run_lock(session_); }

   private:
    SessionLease& lease_;
    std::uint64_t session_;
  };

 public:
  SessionLease(std::string url, std::string holder, std::chrono::seconds lease)
      : LeaseBase(std::move(url), std::move(holder)), lease_(lease) {}

  Status try_acquire() override {
    std::lock_guard<std::mutex> guard(mutex_);
    if (sql_) return prove();
    auto db = open_database(lease_url(), true);
    if (!db) return Status::error(lease_failure(db.code()), db.error());
    auto& sql = *db.value();
    try {
      const auto& dialect = dialect_of(sql);
      dialect.end_session_when_silent(sql, static_cast<int>(lease_.count()));
      if (!dialect.try_session_lock(sql, kLeaderLock))
        return Status::error(StatusCode::conflict,
                             "another node is active: " + describe(read_leadership(sql)));
      fence_ = claim_fence(sql, holder_);
    } catch (const std::exception& e) {
      return Status::error(lease_failure(database_failure_code(e)),
                           "portal database " + database_label(url_) +
                               ": cannot take the leader lease: " + database_error(e) +
                               database_failure_hint(e));
    }
    sql_ = std::move(db.value());
    ++session_;
    lost_.clear();
    return Status::ok();
  }

  Result<std::unique_ptr<DatabaseLock>> take_run_lock() override {
    using R = Result<std::unique_ptr<DatabaseLock>>;
    std::lock_guard<std::mutex> guard(mutex_);
    if (!sql_) return R::failure(StatusCode::conflict, "this node does not hold the leader lease");
    try {
      if (!dialect_of(*sql_).try_session_lock(*sql_, kRunLockKey))
        return R::failure(StatusCode::conflict, run_lock_held(url_));
    } catch (const std::exception& e) {
      auto why = lost(StatusCode::unavailable,
                      "the leader lease's database session failed: " + database_error(e));
      return R::failure(why.code(), why.message());
    }
    return std::unique_ptr<DatabaseLock>(new RunLockOnLease(*this, session_));
  }

  Status still_held() override {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!sql_ && !lost_.empty()) return Status::error(StatusCode::conflict, lost_);
    if (!sql_)
      return Status::error(StatusCode::conflict,
                           "this node does not hold the leader lease (fencing number " +
                               std::to_string(fence_) + " is lost)");
    return prove();
  }

 private:
  std::chrono::seconds lease_;
  std::mutex mutex_;                    // the session is used from the loop and the worker
  std::unique_ptr<soci::session> sql_;  // while held
  std::uint64_t session_ = 0;           // counts the sessions sql_ has been
  std::string lost_;  // why the last session was given up (a run's use may find out first)

  void release_run_lock(std::uint64_t session) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!sql_ || session != session_) return;  // that session ended, and its locks with it
    try {
      dialect_of(*sql_).release_session_lock(*sql_, kRunLockKey);
    } catch (const std::exception& e) {
      lost(StatusCode::unavailable,
           "the leader lease's database session failed: " + database_error(e));
    }
  }

  // The client gives up on a server that stopped answering after about a third of the lease, so
  // a proof never takes longer than that. libpq: tcp_user_timeout and keepalives, and a name that
  // lets a DBA find the session (pg_stat_activity); MariaDB Connector/C: read and write timeouts,
  // which it tries three times.
  std::string lease_url() const {
    auto third = std::max<long long>(1, lease_.count() / 3);
    if (url_.rfind("mysql://", 0) == 0) {
      auto timeout = std::to_string(std::max<long long>(1, lease_.count() / 9));
      return url_ + " connect_timeout=" + std::to_string(third) + " read_timeout=" + timeout +
             " write_timeout=" + timeout;
    }
    return url_ + " application_name='portalsyncd lease' connect_timeout=" +
           std::to_string(std::max<long long>(2, third)) +
           " keepalives=1 keepalives_idle=1 keepalives_interval=1 keepalives_count=3"
           " tcp_user_timeout=" +
           std::to_string(lease_.count() * 1000 / 3);
  }

  Status prove() {
    auto start = std::chrono::steady_clock::now();
    try {
      auto claimed = read_leadership(*sql_);
      if (claimed.fence != fence_)
        return lost(StatusCode::conflict, "another node claimed the lease: " + describe(claimed));
    } catch (const std::exception& e) {
      return lost(StatusCode::unavailable,
                  "the leader lease's database session failed: " + database_error(e));
    }
    if (std::chrono::steady_clock::now() - start > lease_ / 2)
      return lost(StatusCode::unavailable,
                  "the database took longer than half the lease to answer");
    return Status::ok();
  }

  Status lost(StatusCode code, const std::string& why) {
    sql_.reset();
    lost_ = "lost the leader lease (fencing number " + std::to_string(fence_) + "): " + why;
    return Status::error(code, lost_);
  }
};

// SQLite: an flock beside the database for as long as the process lives.
class FileLease : public LeaseBase {
 public:
  FileLease(std::string url, std::string holder)
      : LeaseBase(std::move(url), std::move(holder)), path_(sqlite_path(url_) + ".node-lock") {}
  ~FileLease() override {
    if (fd_ >= 0) close(fd_);
  }

  Status try_acquire() override {
    if (fd_ >= 0) return Status::ok();
    int fd = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::error("cannot open " + path_);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      auto last = active();
      return Status::error(StatusCode::refused,
                           "another portalsyncd is active on SQLite portal database " +
                               sqlite_path(url_) + ": " +
                               (last ? describe(last.value()) : last.error()) +
                               ". SQLite serves one node; two nodes need the portal on PostgreSQL "
                               "(docs/operations.md, Two nodes)");
    }
    auto db = open_database(url_, true);
    if (!db) {
      close(fd);
      return Status::error(StatusCode::unavailable, db.error());
    }
    try {
      fence_ = claim_fence(*db.value(), holder_);
    } catch (const std::exception& e) {
      close(fd);
      return Status::error("portal database " + database_label(url_) +
                           ": cannot claim a fencing number: " + database_error(e));
    }
    fd_ = fd;
    return Status::ok();
  }

  Result<std::unique_ptr<DatabaseLock>> take_run_lock() override {
    return Result<std::unique_ptr<DatabaseLock>>::failure(
        StatusCode::refused, "on SQLite the run lock is a file beside the database");
  }

  // Nothing else can take a file lock this process holds.
  Status still_held() override {
    if (fd_ >= 0) return Status::ok();
    return Status::error(StatusCode::conflict, "this node does not hold the leader lease");
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

Leadership read_leadership(soci::session& sql) {
  Leadership l;
  long long fence = 0;
  sql << "SELECT fence, holder, since FROM ps_leadership WHERE id = 1", soci::into(fence),
      soci::into(l.holder), soci::into(l.since);
  if (sql.got_data()) l.fence = fence;
  return l;
}

std::int64_t claim_fence(soci::session& sql, const std::string& holder) {
  soci::transaction tx(sql);
  dialect_of(sql).lock_change_log(sql);
  auto since = now_utc();
  auto next = static_cast<long long>(read_leadership(sql).fence + 1);
  if (next == 1)
    sql << "INSERT INTO ps_leadership(id, fence, holder, since) VALUES (1, :f, :h, :s)",
        soci::use(next), soci::use(holder), soci::use(since);
  else
    sql << "UPDATE ps_leadership SET fence = :f, holder = :h, since = :s WHERE id = 1",
        soci::use(next), soci::use(holder), soci::use(since);
  tx.commit();
  return next;
}

std::unique_ptr<DatabaseLeaderLease> database_leader_lease(const std::string& url,
                                                           const std::string& holder,
                                                           std::chrono::seconds lease) {
  if (!sqlite_path(url).empty()) return std::make_unique<FileLease>(url, holder);
  return std::make_unique<SessionLease>(url, holder, lease);
}

}  // namespace ps
