// The admin HTTP API over the running service: what each endpoint of docs/admin-api.md does.
// Handlers run on the event loop; work that needs the directory goes to the service's worker.
#pragma once

#include <memory>

#include "core/audit.h"
#include "daemon/admin/router.h"
#include "daemon/admin/server.h"
#include "daemon/service/sync_service.h"
#include "store/soci_portal_store.h"

namespace ps {

class AdminApi {
 public:
  // `store` is the loop's own portal connection (change log queries, holds, reserved changes).
  AdminApi(SyncService& service, SociPortalStore& store) : service_(service), store_(store) {}

  // Every endpoint, ready for AdminServer.
  admin::Router routes();

  // The server whose counters /metrics shows (set once it exists).
  void set_server(const admin::AdminServer* server) { server_ = server; }

 private:
  SyncService& service_;
  SociPortalStore& store_;
  const admin::AdminServer* server_ = nullptr;

  admin::AdminResponse status() const;
  admin::AdminResponse readiness() const;
  admin::AdminResponse metrics() const;
  admin::AdminResponse approvals() const;
  admin::AdminResponse approve(const admin::AdminRequest& r);
  admin::AdminResponse scheduled_changes() const;
  admin::AdminResponse audit(const admin::AdminRequest& r) const;
  Result<AuditFilter> audit_filter(const admin::AdminRequest& r) const;
  // admin_actions.cc: the endpoints that change things by hand.
  admin::AdminResponse add_scheduled_change(const admin::AdminRequest& r);
  admin::AdminResponse cancel_scheduled_change(const admin::AdminRequest& r);
  admin::AdminResponse handover(const admin::AdminRequest& r);
  admin::AdminResponse transfer_custody(const admin::AdminRequest& r);
  void set_password(const admin::AdminRequest& r, admin::Respond respond);
  void unlock(const admin::AdminRequest& r, admin::Respond respond);
};

// Turns the config's admin section into the server's settings.
admin::AdminSettings admin_settings(const Config& config);

}  // namespace ps
