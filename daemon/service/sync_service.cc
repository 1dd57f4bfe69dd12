#include "daemon/service/sync_service.h"

#include <malloc.h>

#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "core/engine.h"
#include "core/plan_format.h"
#include "core/run_schedule.h"
#include "daemon/service/local_zone.h"
#include "daemon/wiring/run_lock.h"
#include "daemon/wiring/runtime.h"
#include "store/journal_listener.h"
#include "store/leader_lease.h"

namespace ps {

namespace asio = boost::asio;

struct SyncService::RunOutcome {
  bool connected = false;  // the directory answered the bind
  bool completed = false;  // the run went through (operations may still have failed)
  std::string error;
  std::int64_t journal_head = 0;  // every entry up to it is covered (SyncReport::journal_covered)
  std::string summary;
  std::size_t applied = 0, failed = 0;
  LatencyHistogram latency;
  bool stopped = false;
  std::string audit_anchor;  // SEQ:HASH of the change log after the run ("" when unreadable)
};

namespace {

// The change log's newest record, for the journal after each run (docs/audit.md: anchors).
std::string read_audit_anchor(PortalStore& store) {
  auto* log = store.audit_log();
  if (!log) return "";
  auto anchor = log->latest_anchor();
  return anchor ? format_anchor(anchor.value()) : "";
}

}  // namespace

SyncService::SyncService(asio::io_context& io, Config config, Logger& log, SystemdNotifier& notify)
    : io_(io),
      config_(std::move(config)),
      log_(log),
      notify_(notify),
      poll_timer_(io),
      reconcile_timer_(io),
      retry_timer_(io),
      watchdog_timer_(io),
      anchor_timer_(io),
      election_timer_(io),
      proof_deadline_(io),
      database_timer_(io),
      rule_timer_(io),
      idle_timer_(io) {}

SyncService::~SyncService() {
  stop_requested_ = true;
  stop_change_signal();
  worker_.join();
  election_.join();
  control_.join();
}

void SyncService::schedule_election() {
  election_timer_.expires_after(std::chrono::milliseconds(config_.daemon.lease_seconds * 200));
  election_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stop_requested_) return;
    bool was_active = status_.role == NodeRole::active;
    auto round = ++election_round_;
    if (was_active) watch_proof(round);
    asio::post(election_, [this, round, was_active] {
      auto outcome = was_active ? lease_->still_held() : lease_->try_acquire();
      Result<Leadership> holder = Leadership{};
      if (!outcome) holder = lease_->active();
      asio::post(io_, [this, round, was_active, outcome, holder] {
        on_election(round, was_active, outcome, holder);
      });
    });
  });
}

// A proof can hang rather than fail: a server gone silent behind a connection that stays open
// (a partition the client's TCP does not see, a hung server) answers nothing. The node cannot
// prove it holds the lease, so it stops writing now, before the server frees the lock for
// another node; the late answer, when it comes, only decides what the node is next.
void SyncService::watch_proof(std::uint64_t round) {
  proof_deadline_.expires_after(std::chrono::milliseconds(config_.daemon.lease_seconds * 500));
  proof_deadline_.async_wait([this, round](boost::system::error_code ec) {
    if (ec || stop_requested_ || round != election_round_ || status_.role != NodeRole::active)
      return;
    abandoned_round_ = round;
    auto why = "cannot prove the leader lease: the portal database has not answered for " +
               std::to_string(config_.daemon.lease_seconds / 2) + " s";
    log_.log(LogLevel::error, why + "; this node is standby now");
    become_standby(why);
  });
}

void SyncService::on_election(std::uint64_t round, bool was_active, Status outcome,
                              Result<Leadership> holder) {
  if (stop_requested_) return;
  proof_deadline_.cancel();
  if (round == abandoned_round_) was_active = false;  // it stood down already
  note_database(outcome);
  if (holder && holder->fence != 0) status_.active = holder.value();
  if (outcome && !was_active) become_active();
  if (!outcome && was_active) {
    log_.log(LogLevel::error, outcome.message() + "; this node is standby now");
    become_standby(outcome.message());
  } else if (!outcome) {
    status_.role_note = outcome.message();
  }
  schedule_election();
}

// A full run first: the node that was active before may have died mid-run. At once, also when a
// retry was pending: the lease was just taken, so the database answers again (the failed runs'
// backoff would only delay the resume).
void SyncService::become_active() {
  retry_timer_.cancel();
  retrying_ = false;
  status_.role = NodeRole::active;
  status_.role_note.clear();
  auto claimed = lease_->active();
  if (claimed) status_.active = claimed.value();
  log_.log(LogLevel::notice, "this node (" + status_.node + ") is the active one, fencing number " +
                                 std::to_string(lease_->fence()));
  request_run("became the active node");
}

// A run in progress stops at its next batch (the lease is proven before each); no new one starts.
// systemd hears READY=1 at once: waiting is what a standby is started for.
void SyncService::become_standby(const std::string& why) {
  status_.role = NodeRole::standby;
  status_.role_note = why;
  if (!running_) set_state(ServiceState::standby, why);
  notify_.ready();
}

void SyncService::request_run(const std::string& why, bool with_idle_rule, RunKind kind) {
  if (stop_requested_ || status_.role != NodeRole::active) return;
  pending_ = true;
  pending_idle_ = pending_idle_ || with_idle_rule;
  pending_full_ = pending_full_ || kind == RunKind::full || with_idle_rule;
  if (pending_why_.find(why) == std::string::npos)
    pending_why_ += (pending_why_.empty() ? "" : ", ") + why;
  if (!running_ && !retrying_) start_run();
}

void SyncService::start_run() {
  running_ = true;
  pending_ = false;
  bool idle = pending_idle_;
  auto kind = pending_full_ ? RunKind::full : RunKind::journal;
  pending_idle_ = pending_full_ = false;
  set_state(ServiceState::syncing, pending_why_);
  log_.log(LogLevel::info, std::string(kind == RunKind::full ? "full" : "journal") +
                               " sync starting (" + pending_why_ + ")");
  pending_why_.clear();
  asio::post(worker_, [this, config = config_, idle, kind] {
    // An exception must not leave the worker thread: it would terminate the daemon mid-run. The
    // engine records its own exceptions as a failed run (SyncEngine::run); this catches the rest
    // (opening the store, connecting) and the run is a failed one like any other: logged, retried.
    RunOutcome outcome;
    try {
      outcome = run_on_worker(config, idle, kind);
    } catch (const std::exception& e) {
      outcome = RunOutcome{};
      outcome.error = std::string("internal error: ") + e.what();
      worker_store_.reset();  // its state is unknown: reopened next time
    } catch (...) {
      outcome = RunOutcome{};
      outcome.error = "internal error: an unknown exception";
      worker_store_.reset();
    }
    // A full run frees hundreds of MB of small objects (both sides of 100,000 accounts); glibc
    // keeps them in its arenas unless asked, and the daemon is then idle for most of an hour.
    malloc_trim(0);
    asio::post(io_, [this, outcome = std::move(outcome)]() mutable { finish_run(outcome); });
  });
}

namespace {

// A test seam (tests/integration/daemon): with PORTALSYNCD_TEST_FAULT=throw-in-first-run in the
// environment, the first run's engine throws from its first log line, standing in for the
// exceptions a run can meet (a planner .at(), std::async's system_error, bad_alloc).
class FirstRunFault : public Logger {
 public:
  explicit FirstRunFault(Logger& log) : log_(log) {}
  static bool armed() {
    static std::atomic<bool> once{[] {
      const char* fault = std::getenv("PORTALSYNCD_TEST_FAULT");
      return fault && std::string_view(fault) == "throw-in-first-run";
    }()};
    return once.exchange(false);
  }
  void log(LogLevel level, std::string_view message) override {
    if (!thrown_) {
      thrown_ = true;
      throw std::out_of_range("injected fault (PORTALSYNCD_TEST_FAULT)");
    }
    log_.log(level, message);
  }

 private:
  Logger& log_;
  bool thrown_ = false;
};

}  // namespace

// On the worker thread: touches only worker_store_, the config copy and the logger.
SyncService::RunOutcome SyncService::run_on_worker(const Config& config, bool with_idle_rule,
                                                   RunKind kind) {
  RunOutcome out;
  if (auto store = worker_store(config); !store) {
    out.error = store.error();
    return out;
  }
  auto lock = RunLock::acquire(config.portal.database, *lease_);
  if (!lock) {
    out.error = lock.error();
    return out;
  }
  auto directory = connect_directory(config);
  if (!directory) {
    out.error = directory.error();
    return out;
  }
  out.connected = true;
  asio::post(io_, [this] { mark_connected(); });
  worker_store_->set_fence(lease_->fence());
  auto options = engine_options(config, "portalsyncd");
  options.lease = lease_.get();
  options.run_idle_rule = with_idle_rule;
  options.stop_requested = &stop_requested_;
  SystemClock clock;
  FirstRunFault fault(log_);
  SyncEngine engine(*worker_store_, *directory.value(), clock,
                    FirstRunFault::armed() ? static_cast<Logger&>(fault) : log_, options);
  auto report = kind == RunKind::journal ? engine.sync_journal() : engine.sync();
  out.audit_anchor = read_audit_anchor(*worker_store_);
  if (!report) {
    out.error = report.error();
    worker_store_.reset();  // a store that failed mid-run is reopened next time
    return out;
  }
  out.summary = summary_json(report.value());
  out.applied = report->applied.applied;
  out.failed = report->applied.failed;
  out.latency = report->applied.latency;
  out.stopped = report->applied.stopped;
  out.completed = report->applied.fatal.is_ok() && !out.stopped;
  if (!out.completed && !out.stopped) out.error = report->applied.fatal.message();
  out.journal_head = report->journal_covered;
  return out;
}

void SyncService::preview(std::function<void(Result<std::string>)> done) {
  asio::post(worker_, [this, config = config_, done = std::move(done)]() mutable {
    auto answer = [&]() -> Result<std::string> {
      auto store = worker_store(config);
      if (!store) return Error{store.error()};
      auto directory = connect_directory(config);
      if (!directory) return Error{directory.error()};
      SystemClock clock;
      NullLogger quiet;
      SyncEngine engine(*store.value(), *directory.value(), clock, quiet,
                        engine_options(config, "portalsyncd"));
      auto preview = engine.preview();
      if (!preview) return Error{preview.error()};
      return plan_to_json(preview->plan);
    }();
    // Moved, not copied: `done` is released on the loop, whatever it holds.
    asio::post(io_,
               [done = std::exchange(done, nullptr), answer = std::move(answer)] { done(answer); });
  });
}

void SyncService::on_worker(WorkerTask task, admin::Respond respond) {
  // These tasks write to the directory: one writer, the active node.
  if (status_.role != NodeRole::active)
    return respond(admin::AdminResponse::error(
        503, "standby",
        "this node is standby; the active node is " +
            (status_.active.holder.empty() ? std::string("unknown") : status_.active.holder)));
  admin::Offload offload(io_.get_executor(), worker_.get_executor(), log_);
  offload.run_on_worker([this, config = config_,
                         task = std::move(task)] { return task(worker_store(config), config); },
                        std::move(respond));
}

void SyncService::finish_run(RunOutcome outcome) {
  running_ = false;
  ++status_.runs;
  status_.operations_applied += static_cast<std::int64_t>(outcome.applied);
  status_.operations_failed += static_cast<std::int64_t>(outcome.failed);
  status_.directory_latency.merge(outcome.latency);
  if (!outcome.summary.empty()) status_.last_run_summary = outcome.summary;
  if (!outcome.audit_anchor.empty() && outcome.audit_anchor != status_.audit_anchor)
    log_anchor(outcome.audit_anchor);
  if (run_listener_) run_listener_();
  if (stop_requested_) {
    if (on_stopped_) on_stopped_();
    return;
  }
  if (outcome.completed) {
    status_.consecutive_failures = 0;
    status_.last_error.clear();
    status_.last_success_at = format_utc(std::chrono::system_clock::now());
    status_.journal_synced = std::max(status_.journal_synced, outcome.journal_head);
    log_.log(LogLevel::info, "sync: " + outcome.summary);
    set_state(ServiceState::idle,
              "in sync up to journal entry " + std::to_string(status_.journal_synced));
    schedule_rule_tick();
  } else {
    ++status_.failed_runs;
    ++status_.consecutive_failures;
    status_.last_error = outcome.error;
    log_.log(LogLevel::error, "sync failed: " + outcome.error);
    if (status_.role != NodeRole::active)
      set_state(ServiceState::standby, status_.role_note);  // the new active node carries on
    else
      schedule_retry();
    return;
  }
  if (pending_) start_run();
}

// The anchor as a structured line (key=value) that `audit verify --anchors` reads from the journal.
void SyncService::log_anchor(const std::string& anchor) {
  status_.audit_anchor = anchor;
  auto colon = anchor.find(':');
  log_.log(LogLevel::notice, "audit anchor seq=" + anchor.substr(0, colon) +
                                 " hash=" + anchor.substr(colon + 1) +
                                 " at=" + format_utc(std::chrono::system_clock::now()));
}

// Every audit.anchor_interval_seconds, whether or not a run wrote records since: a journal with
// anchors at regular times lets an auditor bound when a tampering happened. Read on the loop's
// own connection (one indexed row), off the loop.
void SyncService::schedule_anchor() {
  if (config_.audit.anchor_interval_seconds <= 0) return;
  anchor_timer_.expires_after(std::chrono::seconds(config_.audit.anchor_interval_seconds));
  anchor_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stop_requested_) return;
    asio::post(control_, [this] {
      auto anchor = read_audit_anchor(control_store());
      asio::post(io_, [this, anchor] {
        if (!anchor.empty()) log_anchor(anchor);
        schedule_anchor();
      });
    });
  });
}

// READY=1 as soon as the directory first answered: systemd then considers the start done, while
// the first (possibly long) sync goes on.
void SyncService::mark_connected() {
  if (ready_sent_) return;
  ready_sent_ = true;
  notify_.ready();
}

void SyncService::schedule_retry() {
  RetryPolicy policy{std::chrono::seconds(config_.daemon.retry_initial_seconds),
                     std::chrono::seconds(config_.daemon.retry_max_seconds)};
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  auto delay = retry_delay(policy, status_.consecutive_failures, jitter(random_));
  retrying_ = true;
  status_.next_retry_at = format_utc(std::chrono::system_clock::now() + delay);
  set_state(ServiceState::retrying, "attempt " + std::to_string(status_.consecutive_failures) +
                                        " failed; retry at " + status_.next_retry_at);
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    retrying_ = false;
    status_.next_retry_at.clear();
    request_run("retry");
  });
}

// The journal is read on the loop's own connection, off the loop: a cheap indexed query (SQLite
// WAL lets it run beside the worker's writes). The next poll is armed once it answered.
void SyncService::schedule_poll() {
  poll_timer_.expires_after(journal_poll_interval(
      status_.wakeup, std::chrono::milliseconds(config_.daemon.poll_interval_ms),
      std::chrono::milliseconds(config_.daemon.listen_poll_interval_ms)));
  poll_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stop_requested_) return;
    if (status_.role != NodeRole::active) return schedule_poll();
    asio::post(control_, [this] {
      auto head = control_store().journal_head();
      asio::post(io_, [this, head] {
        on_journal_head(head);
        schedule_poll();
      });
    });
  });
}

void SyncService::on_journal_head(const Result<std::int64_t>& head) {
  if (!head) return log_.log(LogLevel::warning, "change journal: " + head.error());
  status_.journal_head = head.value();
  if (head.value() > status_.journal_synced && !running_ && !retrying_)
    request_run("portal changed", false, RunKind::journal);
}

// The signal's calls come from its own thread: they are handled on the loop. A notification
// during a run asks for another (the run may have read the journal before that commit).
void SyncService::start_change_signal() {
  change_signal_ = journal_change_signal(config_.portal.database);
  change_signal_->start(
      {[this] {
         asio::post(io_, [this] { request_run("portal changed", false, RunKind::journal); });
       },
       [this](WakeupMode mode, const std::string& why) {
         asio::post(io_, [this, mode, why] { on_wakeup_mode(mode, why); });
       }});
}

// Waits for the signal's thread: no call of it reaches the loop after this.
void SyncService::stop_change_signal() {
  if (change_signal_) change_signal_->stop();
}

// The poll's interval follows the mode: a safety net while listening, the only way otherwise.
// Failed reconnections repeat "polling": the poll's wait is replaced only when the mode changes,
// or a poll slower than the reconnection backoff would never come.
void SyncService::on_wakeup_mode(WakeupMode mode, const std::string& why) {
  if (stop_requested_) return;
  bool changed = mode != status_.wakeup;
  status_.wakeup = mode;
  const auto& d = config_.daemon;
  auto every = journal_poll_interval(mode, std::chrono::milliseconds(d.poll_interval_ms),
                                     std::chrono::milliseconds(d.listen_poll_interval_ms));
  auto poll = "polled every " + std::to_string(every.count()) + " ms";
  if (mode == WakeupMode::listening)
    log_.log(LogLevel::notice,
             "change journal: listening for the portal's commits (" + poll + " as a safety net)");
  else
    log_.log(LogLevel::warning, "change journal: " + why + "; " + poll + " until listening again");
  if (changed) schedule_poll();  // replaces the wait in progress
}

void SyncService::schedule_reconcile() {
  reconcile_timer_.expires_after(std::chrono::seconds(config_.sync.interval_seconds));
  reconcile_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stop_requested_) return;
    request_run("periodic reconcile");
    schedule_reconcile();
  });
}

void SyncService::schedule_rule_tick() {
  asio::post(control_, [this] {
    auto changes = control_store().load_scheduled_changes();
    asio::post(io_, [this, changes = std::move(changes)] { arm_rule_timer(changes); });
  });
}

void SyncService::arm_rule_timer(const Result<std::vector<ScheduledChange>>& changes) {
  if (stop_requested_) return;
  if (!changes) {
    log_.log(LogLevel::warning, "reserved changes: " + changes.error());
    return;
  }
  auto next = next_due_change(changes.value(), std::chrono::system_clock::now());
  rule_timer_.cancel();
  if (!next) return;
  rule_timer_.expires_at(*next);
  rule_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !stop_requested_) request_run("reserved change due", false, RunKind::journal);
  });
}

void SyncService::schedule_idle_run() {
  if (!config_.policies.idle_disable.enabled) return;
  auto now = std::chrono::system_clock::now();
  auto at = next_time_of_day(now, config_.daemon.idle_disable_minutes, utc_offset_at(now));
  idle_timer_.expires_at(at);
  idle_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stop_requested_) return;
    request_run("daily idle-disable", true);
    schedule_idle_run();
  });
}

void SyncService::schedule_watchdog() {
  auto interval = notify_.watchdog_interval();
  if (interval.count() == 0) return;
  watchdog_timer_.expires_after(interval);
  watchdog_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    notify_.watchdog();
    schedule_watchdog();
  });
}

Status SyncService::reloadable(const Config& fresh) const {
  if (fresh.portal.database != config_.portal.database)
    // Not quoted: a connection string may hold a password.
    return Status::error(
        "portal.database changed: a restart is needed to use another portal database "
        "(portalsyncd keeps the one it started with)");
  return Status::ok();
}

void SyncService::reload(Config config) {
  config_ = std::move(config);
  use_time_zone(config_.daemon.timezone);
  reconcile_timer_.cancel();
  idle_timer_.cancel();
  anchor_timer_.cancel();
  schedule_reconcile();
  schedule_idle_run();
  schedule_anchor();
  log_.log(LogLevel::info, "configuration reloaded from " + config_.source);
  // The mapping may have changed, which a journal run would apply only to the objects it reads.
  request_run("configuration reloaded");
}

void SyncService::stop(std::function<void()> done) {
  stop_requested_ = true;
  stop_change_signal();
  set_state(ServiceState::stopping, running_ ? "finishing the operations in flight" : "");
  for (auto* t : {&poll_timer_, &reconcile_timer_, &retry_timer_, &watchdog_timer_, &anchor_timer_,
                  &election_timer_, &database_timer_})
    t->cancel();
  rule_timer_.cancel();
  idle_timer_.cancel();
  if (running_)
    on_stopped_ = std::move(done);
  else
    done();
}

std::string_view to_string(ServiceState state) {
  switch (state) {
    case ServiceState::idle:
      return "idle";
    case ServiceState::syncing:
      return "syncing";
    case ServiceState::retrying:
      return "retrying";
    case ServiceState::stopping:
      return "stopping";
    case ServiceState::standby:
      return "standby";
    case ServiceState::waiting:
      return "waiting";
    case ServiceState::starting:
      break;
  }
  return "starting";
}

std::string_view to_string(NodeRole role) {
  return role == NodeRole::active ? "active" : "standby";
}

void SyncService::set_state(ServiceState state, const std::string& detail) {
  status_.state = state;
  std::string name(to_string(state));
  notify_.status(detail.empty() ? name : name + ": " + detail);
}

}  // namespace ps
