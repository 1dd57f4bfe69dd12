// The admin HTTP API over the running service: what each endpoint of docs/admin-api.md does.
// The event loop also carries the journal poll, the timers and the watchdog, so no handler reads
// the portal database there: those run on the API's own worker thread with its own connection
// (admin::Offload), and what needs the directory or must not overlap a run goes to the service's
// worker. On the loop remain the answers made from memory (/healthz, /v1/status, /metrics).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "core/audit.h"
#include "core/custody_breach.h"
#include "daemon/admin/offload.h"
#include "daemon/admin/router.h"
#include "daemon/admin/server.h"
#include "daemon/service/sync_service.h"
#include "store/soci_portal_store.h"

namespace ps {

class AdminApi {
 public:
  // The API keeps its own portal connection, used on its worker thread only, opened on first use
  // (the database may not answer at the start).
  AdminApi(boost::asio::io_context& loop, SyncService& service, Logger& log);
  ~AdminApi();  // finishes the request on the worker, if any; the others are dropped

  // Every endpoint, ready for AdminServer. Also starts keeping /metrics' quarantine count, read
  // now and after every run.
  admin::Router routes();

  // The server whose counters /metrics shows (set once it exists).
  void set_server(const admin::AdminServer* server) { server_ = server; }

 private:
  using Endpoint = std::function<admin::AdminResponse(const admin::AdminRequest&)>;

  boost::asio::io_context& loop_;
  SyncService& service_;
  const std::string database_, audit_key_;  // what store_ opens
  std::unique_ptr<SociPortalStore> store_;  // worker thread only
  unsigned store_epoch_ = 0;                // SyncService::database_epoch() when it was opened
  boost::asio::thread_pool worker_{1};
  admin::Offload offload_;
  const admin::AdminServer* server_ = nullptr;
  // Loop thread only:
  std::optional<std::int64_t> quarantined_;   // none until first read, or when it failed
  std::optional<std::int64_t> pending_;       // tracked objects waiting to be planned again
  std::optional<CustodyWatch> custody_;       // the open custody breaches after the last run
  std::vector<admin::Respond> plan_waiters_;  // the GET /v1/plan requests the preview will answer

  // An endpoint that reads or writes the portal database: runs on the worker.
  admin::AsyncHandler on_worker(Endpoint endpoint);
  // Worker thread: opens store_ when it is not open or the database went away since; the answer
  // to give instead (503 portal_database_unavailable) when it cannot be.
  std::optional<admin::AdminResponse> open_store();
  // For the worker: runs `f` on the loop (service_ lives there).
  void on_loop(std::function<void()> f);
  void refresh_quarantine();
  void plan(admin::Respond respond);

  static admin::AdminResponse whoami(const admin::AdminRequest& r);
  admin::AdminResponse status(const admin::AdminRequest& r) const;
  admin::AdminResponse readiness() const;
  admin::AdminResponse metrics() const;
  // Worker thread:
  admin::AdminResponse approvals() const;
  admin::AdminResponse runs() const;
  admin::AdminResponse approve(const admin::AdminRequest& r);
  admin::AdminResponse scheduled_changes(const admin::AdminRequest& r) const;
  admin::AdminResponse quarantine() const;
  admin::AdminResponse account(const admin::AdminRequest& r) const;          // admin_account.cc
  admin::AdminResponse person_accounts(const admin::AdminRequest& r) const;  // admin_persons.cc
  admin::AdminResponse idle_report(const admin::AdminRequest& r, const IdlePolicy& policy) const;
  admin::AdminResponse release(const admin::AdminRequest& r);
  admin::AdminResponse audit(const admin::AdminRequest& r) const;
  Result<AuditFilter> audit_filter(const std::map<std::string, std::string>& params,
                                   std::size_t default_limit, std::size_t max_limit) const;
  // Limits `filter` to the token's units; false when nothing can match (no unit in scope).
  Result<bool> limit_to_scope(const admin::AdminRequest& r, AuditFilter& filter) const;
  // admin_actions.cc: the endpoints that change things by hand (worker thread).
  admin::AdminResponse add_scheduled_change(const admin::AdminRequest& r);
  admin::AdminResponse cancel_scheduled_change(const admin::AdminRequest& r);
  admin::AdminResponse handover(const admin::AdminRequest& r);
  admin::AdminResponse transfer_custody(const admin::AdminRequest& r);
  // On the loop; the work goes to the service's worker.
  void set_password(const admin::AdminRequest& r, admin::Respond respond);
  void unlock(const admin::AdminRequest& r, admin::Respond respond);
  void account_directory(const admin::AdminRequest& r, admin::Respond respond);
};

// Turns the config's admin section into the server's settings.
admin::AdminSettings admin_settings(const Config& config);

}  // namespace ps
