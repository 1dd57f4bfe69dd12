// The protocol-independent half of serving a request: from its head (method, target,
// Authorization) decide whether it reaches a handler, then call the handler. Split in two so the
// server can refuse a request (401, 404, ...) before reading its body.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/log.h"
#include "daemon/admin/handler.h"
#include "daemon/admin/router.h"
#include "daemon/admin/tokens.h"

namespace ps::admin {

struct RequestHead {
  std::string_view method;
  std::string_view target;         // "/v1/audit?limit=5"
  std::string_view authorization;  // empty when the header is absent
  std::string remote;
};

struct Admission {
  std::optional<AdminResponse> reply;           // set: send this and call no handler
  AdminRequest request;                         // otherwise: everything but the body
  const Handler* handler = nullptr;             // a handler that answers at once, or
  const AsyncHandler* async_handler = nullptr;  // one that answers later
};

// Checks, in this order: the target is a path; the route (a public one needs no token); the
// bearer token; then 404 or 405, so a client without a token learns nothing about which paths
// exist; then the token's role and unit scope (403); then the query string.
Admission admit(const Router& router, const TokenSet& tokens, const RequestHead& head);

// Runs the handler; an exception becomes 500 internal_error (and an error log line), so a bug in
// one endpoint cannot take the daemon down.
AdminResponse invoke(const Handler& handler, const AdminRequest& request, Logger& log);
void invoke_async(const AsyncHandler& handler, const AdminRequest& request, Respond respond,
                  Logger& log);

}  // namespace ps::admin
