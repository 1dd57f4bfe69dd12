// The admin HTTP server: HTTP/1.1 (optionally over TLS) on the daemon's one event loop, with
// bearer-token authentication, limits and timeouts, and JSON errors. The daemon builds a Router,
// hands it over with the settings, and calls start(); everything else happens on the loop.
//
//   admin::Router router;
//   router.add("GET", "/healthz", healthz, admin::Access::public_);
//   router.add("POST", "/v1/approvals/{id}", [&](const admin::AdminRequest& r) { ... });
//   admin::AdminServer server(io, settings.admin, std::move(router), log);
//   if (auto s = server.start(); !s) { log.log(LogLevel::error, s.message()); return 1; }
#pragma once

#include <memory>
#include <string>

#include "core/log.h"
#include "core/result.h"
#include "daemon/admin/metrics.h"
#include "daemon/admin/router.h"
#include "daemon/admin/settings.h"
#include "daemon/admin/tokens.h"

namespace boost::asio {
class io_context;
}

namespace ps::admin {

struct ServerState;

class AdminServer {
 public:
  AdminServer(boost::asio::io_context& io, AdminSettings settings, Router router, Logger& log);
  ~AdminServer();  // stop()s
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Checks the settings (tokens, listen address, TLS files), binds and starts accepting. The
  // error names the setting and the reason, e.g. "admin.listen 127.0.0.1:8650: cannot listen:
  // Address already in use".
  Status start();

  // Stops accepting and closes every connection; the loop's run() can then return.
  void stop();

  // Swaps the accepted tokens (on SIGHUP): from the next request on, a removed token gets 401, even
  // on a connection that is already open.
  void replace_tokens(TokenSet tokens);

  unsigned short port() const;  // the bound port (useful when settings asked for port 0)
  std::string url() const;      // "https://127.0.0.1:8650", for logs and the quickstart
  const AdminMetrics& metrics() const;

  // All of the above must be called on the loop's thread (post() to it from elsewhere).

 private:
  std::shared_ptr<ServerState> state_;
};

}  // namespace ps::admin
