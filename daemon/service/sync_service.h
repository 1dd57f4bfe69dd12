// portalsyncd's scheduler on one Boost.Asio event loop: it watches the portal's change journal,
// runs a sync as soon as something changed, a full reconcile every sync.interval_seconds, reserved
// changes when they fall due, idle-disable once a day, and backs off with jitter while the
// directory is unreachable (the journal keeps everything meanwhile). Runs execute on one worker
// thread because libldap and SOCI block; everything else happens on the loop's thread.
#pragma once

#include <atomic>
#include <utility>  // before Boost 1.74 Asio, which uses std::exchange without it

#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/apply.h"
#include "core/change_signal.h"
#include "core/database_wait.h"
#include "core/log.h"
#include "core/portal_store.h"
#include "daemon/admin/offload.h"
#include "daemon/service/systemd_notify.h"
#include "store/leader_lease.h"

namespace ps {

// waiting: for the portal database, which has not answered since the start (ServiceStatus::
// portal_database says why).
enum class ServiceState { starting, idle, syncing, retrying, stopping, standby, waiting };
std::string_view to_string(ServiceState state);

// Two nodes, one writer (core/leader_lease.h): only the active node syncs.
enum class NodeRole { standby, active };
std::string_view to_string(NodeRole role);

// What /v1/status and /metrics show.
struct ServiceStatus {
  ServiceState state = ServiceState::starting;
  std::int64_t runs = 0, failed_runs = 0;
  std::int64_t operations_applied = 0, operations_failed = 0;
  std::string last_run_summary;  // JSON of the last finished run
  std::string last_success_at;   // UTC
  std::string last_error;
  std::int64_t journal_head = 0;            // newest journal entry seen
  std::int64_t journal_synced = 0;          // every entry up to this one is in the directory
  WakeupMode wakeup = WakeupMode::polling;  // how portal changes are noticed (core/change_signal.h)
  int consecutive_failures = 0;
  LatencyHistogram directory_latency;  // every operation of every run since the start
  std::string next_retry_at;
  std::string audit_anchor;  // the change log's newest SEQ:HASH after the last run
  NodeRole role = NodeRole::standby;
  std::string node;              // this node, as the leader lease names it ("host pid N")
  Leadership active;             // the last claim of the active role (this node's while active)
  std::string role_note;         // why this node is standby: who holds the lease, or what failed
  DatabaseWait portal_database;  // whether the portal database answers, and if not why
};

class SyncService {
 public:
  SyncService(boost::asio::io_context& io, Config config, Logger& log, SystemdNotifier& notify);
  ~SyncService();

  // Opens the portal store and starts the timers; the first run starts at once. A database
  // server that does not answer or refuses is waited for (state `waiting`, retried with backoff:
  // core/database_wait.h); only a SQLite file that cannot be opened, or a second node on SQLite,
  // fails the start.
  Status start();

  // What a run reads and plans: everything, or only what the change journal names (and the
  // reserved changes due: SyncEngine::sync_journal), which keeps a change's latency independent
  // of the portal's size. The first run after the start is full.
  enum class RunKind { full, journal };

  // Runs a sync as soon as the worker is free. Requests while one runs coalesce into one, which
  // is full if any of them asked for a full run.
  void request_run(const std::string& why, bool with_idle_rule = false,
                   RunKind kind = RunKind::full);

  // Computes what a sync would do now (GET /v1/plan) on the worker thread, after any run in
  // progress; `done` gets the plan as JSON, on the loop's thread.
  void preview(std::function<void(Result<std::string>)> done);

  // Runs `task` on the worker thread, after any run in progress, with the worker's portal store
  // (or why it cannot be opened) and the current config; its answer goes to `respond` on the
  // loop's thread (admin::Offload::run_on_worker: exactly once, 500 if it throws). For admin
  // requests that must not overlap a run (password, unlock).
  using WorkerTask = std::function<admin::AdminResponse(Result<PortalStore*>, const Config&)>;
  void on_worker(WorkerTask task, admin::Respond respond);

  // Called on the loop's thread after every run (the admin API refreshes what /metrics caches).
  void on_run_finished(std::function<void()> listener) { run_listener_ = std::move(listener); }

  // Whether the directory has answered since the start (READY=1 was sent).
  bool directory_answered() const { return ready_sent_; }

  // Rises each time the portal database is seen to stop answering: every connection opened before
  // is then reopened before its next use (a server restart ends them all). Any thread.
  unsigned database_epoch() const { return database_epoch_; }

  // Whether `fresh` can replace the running configuration on SIGHUP. A different
  // portal.database cannot: the loop's, the worker's and the admin API's connections and the run
  // lock would each follow it at a different time, so the reload is refused (a restart is needed).
  Status reloadable(const Config& fresh) const;

  // Takes a new configuration (SIGHUP, after it was validated and reloadable()) and runs a full
  // sync with it.
  void reload(Config config);

  // Stops sending operations, waits for those in flight, then calls `done` on the loop.
  void stop(std::function<void()> done);

  const ServiceStatus& status() const { return status_; }
  const Config& config() const { return config_; }

 private:
  struct RunOutcome;
  struct DatabaseAttempt;

  boost::asio::io_context& io_;
  Config config_;
  Logger& log_;
  SystemdNotifier& notify_;
  boost::asio::thread_pool worker_{1};
  // The leader lease is taken and proven here, so a database that stopped answering blocks
  // neither the loop nor a run.
  boost::asio::thread_pool election_{1};
  // The loop's reads of the portal database (the journal head, reserved changes, the audit
  // anchor) run here, for the same reason: the loop serves /healthz and /v1/status and stands
  // the node down, whatever the database does.
  boost::asio::thread_pool control_{1};
  std::unique_ptr<DatabaseLeaderLease> lease_;
  std::unique_ptr<PortalStore> control_store_;  // used on control_ only (after start)
  std::unique_ptr<PortalStore> worker_store_;   // used on the worker thread only
  std::unique_ptr<ChangeSignal> change_signal_;
  std::atomic<unsigned> database_epoch_{0};
  unsigned control_epoch_ = 0;  // database_epoch_ when control_store_ was opened
  unsigned worker_epoch_ = 0;   // ... worker_store_ (worker thread only)
  boost::asio::steady_timer poll_timer_, reconcile_timer_, retry_timer_, watchdog_timer_;
  boost::asio::steady_timer anchor_timer_, election_timer_, proof_deadline_, database_timer_;
  std::uint64_t election_round_ = 0, abandoned_round_ = 0;
  boost::asio::system_timer rule_timer_, idle_timer_;
  std::atomic<bool> stop_requested_{false};
  std::function<void()> on_stopped_;
  std::function<void()> run_listener_;
  bool running_ = false, pending_ = false, pending_idle_ = false, retrying_ = false;
  bool pending_full_ = false;
  bool ready_sent_ = false;
  std::string pending_why_;
  ServiceStatus status_;
  std::mt19937 random_{std::random_device{}()};

  Result<PortalStore*> worker_store(const Config& config);  // on the worker thread only
  PortalStore& control_store();  // reopened first when the database_epoch_ moved
  // The first connection (sync_service_database.cc): opened and the lease tried on the election
  // thread, retried with backoff while the database does not answer or refuses.
  DatabaseAttempt attempt_database(const Config& config);
  void connect_database();
  void on_database_attempt(DatabaseAttempt attempt);
  void wait_for_database(StatusCode code, const std::string& why);
  // What a round trip of the lease says about the database.
  void note_database(const Status& outcome);
  void start_run();
  RunOutcome run_on_worker(const Config& config, bool with_idle_rule, RunKind kind);
  void finish_run(RunOutcome outcome);
  void mark_connected();
  void schedule_poll();
  void on_journal_head(const Result<std::int64_t>& head);
  // Where the portal database tells of its commits, a journal run starts as soon as it does.
  void start_change_signal();
  void stop_change_signal();
  void on_wakeup_mode(WakeupMode mode, const std::string& why);
  void schedule_reconcile();
  void schedule_rule_tick();  // reads the reserved changes, then arms the timer for the next
  void arm_rule_timer(const Result<std::vector<ScheduledChange>>& changes);
  void schedule_idle_run();
  void schedule_retry();
  void schedule_watchdog();
  void schedule_anchor();
  // Every fifth of daemon.lease_seconds: the standby tries to take the lease, the active node
  // proves it still holds it.
  void schedule_election();
  void on_election(std::uint64_t round, bool was_active, Status outcome, Result<Leadership> holder);
  // The active node stands down when a proof has not answered within half the lease.
  void watch_proof(std::uint64_t round);
  void become_active();
  void become_standby(const std::string& why);
  void log_anchor(const std::string& anchor);
  void set_state(ServiceState state, const std::string& detail);
};

}  // namespace ps
