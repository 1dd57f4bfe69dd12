// SyncService and its portal database: the first connection, waited for while the server does
// not answer (or refuses), and the connections reopened after the server went away mid-run.
#include <unistd.h>

#include <memory>

#include "core/clock.h"
#include "daemon/service/local_zone.h"
#include "daemon/service/sync_service.h"
#include "daemon/wiring/runtime.h"
#include "store/database.h"
#include "store/leader_lease.h"

namespace ps {

namespace asio = boost::asio;

namespace {

// How the leader lease names this node: unique among the nodes even on one machine.
std::string node_name() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + " pid " + std::to_string(getpid());
}

}  // namespace

struct SyncService::DatabaseAttempt {
  Result<std::unique_ptr<PortalStore>> store = Error{"not tried"};
  Status claim = Status::ok();               // the first try for the leader lease
  Result<Leadership> holder = Leadership{};  // who is active, when the claim failed
};

Status SyncService::start() {
  use_time_zone(config_.daemon.timezone);
  status_.node = node_name();
  lease_ = database_leader_lease(config_.portal.database, status_.node,
                                 std::chrono::seconds(config_.daemon.lease_seconds));
  schedule_watchdog();
  // SQLite is a file on this machine: nothing to wait for, and a second node is refused.
  if (!sqlite_path(config_.portal.database).empty()) {
    auto attempt = attempt_database(config_);
    if (!attempt.store) return attempt.store.status();
    if (attempt.claim.code() == StatusCode::refused) return attempt.claim;
    on_database_attempt(std::move(attempt));
    return Status::ok();
  }
  set_state(ServiceState::starting, "connecting to the portal database");
  connect_database();
  return Status::ok();
}

SyncService::DatabaseAttempt SyncService::attempt_database(const Config& config) {
  DatabaseAttempt a;
  a.store = open_node_store(config);
  if (!a.store) return a;
  a.claim = lease_->try_acquire();
  if (!a.claim)
    if (auto holder = lease_->active()) a.holder = holder.value();
  return a;
}

// On the election thread, which the lease's round trips use too: connecting may take up to the
// connection's connect_timeout, which must not hold the loop.
void SyncService::connect_database() {
  asio::post(election_, [this, config = config_] {
    auto attempt = std::make_shared<DatabaseAttempt>(attempt_database(config));
    asio::post(io_, [this, attempt] { on_database_attempt(std::move(*attempt)); });
  });
}

void SyncService::on_database_attempt(DatabaseAttempt attempt) {
  if (stop_requested_) return;
  if (!attempt.store) return wait_for_database(attempt.store.code(), attempt.store.error());
  auto& db = status_.portal_database;
  if (db.attempts > 0)
    log_.log(LogLevel::notice, "portal database " + database_label(config_.portal.database) +
                                   " answers after " + std::to_string(db.attempts) +
                                   " failed attempts");
  db.answered();
  control_store_ = std::move(attempt.store.value());
  control_epoch_ = database_epoch_;
  schedule_poll();
  start_change_signal();
  schedule_reconcile();
  schedule_idle_run();
  schedule_anchor();
  schedule_election();
  if (attempt.claim) return become_active();
  if (attempt.holder) status_.active = attempt.holder.value();
  become_standby(attempt.claim.message());
}

// The reason is logged once, and again when it changes; /v1/status shows every attempt. systemd
// hears READY=1 at once: the service is up and says what it waits for (STATUS=), and a start job
// that timed out would only make systemd restart it into the same wait.
void SyncService::wait_for_database(StatusCode code, const std::string& why) {
  auto& db = status_.portal_database;
  bool news = db.last_error != why;
  db.failed(code, why);
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  auto delay = db.next_delay(jitter(random_));
  db.next_retry_at = format_utc(std::chrono::system_clock::now() + delay);
  if (news)
    log_.log(code == StatusCode::refused ? LogLevel::error : LogLevel::warning,
             why + (code == StatusCode::refused
                        ? "; the database refuses portalsync: portalsyncd tries again every few "
                          "minutes"
                        : "; portalsyncd waits for the database, trying again with backoff"));
  set_state(ServiceState::waiting,
            std::string("the portal database ") +
                (code == StatusCode::refused ? "refuses portalsync" : "does not answer") +
                " (attempt " + std::to_string(db.attempts) + ", next try at " + db.next_retry_at +
                "): " + why);
  notify_.ready();
  database_timer_.expires_after(delay);
  database_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !stop_requested_) connect_database();
  });
}

// The lease's round trips, every fifth of the lease, are the daemon's regular look at the
// database. A server that stopped answering has ended every connection (a restart does), so each
// is reopened before its next use; a refusal (conflict: another node is active) is an answer.
void SyncService::note_database(const Status& outcome) {
  auto& db = status_.portal_database;
  auto code = outcome.code();
  if (code == StatusCode::unavailable || code == StatusCode::refused) {
    if (db.state == DatabaseState::available) ++database_epoch_;
    db.failed(code, outcome.message());
    db.next_retry_at = format_utc(std::chrono::system_clock::now() +
                                  std::chrono::milliseconds(config_.daemon.lease_seconds * 200));
  } else if (db.state != DatabaseState::available) {
    db.answered();
  }
}

PortalStore& SyncService::control_store() {
  if (control_epoch_ != database_epoch_) {
    unsigned epoch = database_epoch_;
    if (auto fresh = open_node_store(config_)) {
      control_store_ = std::move(fresh.value());
      control_epoch_ = epoch;
    }
  }
  return *control_store_;
}

Result<PortalStore*> SyncService::worker_store(const Config& config) {
  if (worker_store_ && worker_epoch_ != database_epoch_) worker_store_.reset();
  if (!worker_store_) {
    unsigned epoch = database_epoch_;
    auto store = open_node_store(config);
    if (!store) return Error{store.error(), store.code()};
    worker_store_ = std::move(store.value());
    worker_epoch_ = epoch;
  }
  return worker_store_.get();
}

}  // namespace ps
