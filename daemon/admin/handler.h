// What an admin API handler sees and what it returns. Handlers run on the daemon's event loop, so
// they must not block for long; the server takes care of limits, authentication and errors.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/scope_codes.h"
#include "core/token_role.h"

namespace ps {
class JsonWriter;
}

namespace ps::admin {

struct AdminRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // as sent, without the query string
  std::map<std::string, std::string> params;  // {name} segments of the route, percent-decoded
  std::map<std::string, std::string> query;   // ?a=1&b=x, percent-decoded
  std::string body;
  std::string actor;       // the change log's actor (Identity::actor); empty on a public route
  std::string token_name;  // the authenticated token's name
  TokenRole role = TokenRole::admin;
  ScopeCodes scope;            // the token's units and agencies; none: every unit
  std::string remote;          // client address, for logs
  std::string client_subject;  // the verified client certificate's subject (mutual TLS), or ""

  // A {name} of the matched route; throws std::out_of_range for a name the route does not have.
  const std::string& param(const std::string& name) const { return params.at(name); }
  // A query parameter, or `fallback` when the client did not send it.
  std::string query_or(const std::string& name, std::string fallback = {}) const;
};

struct AdminResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields, e.g. Allow

  static AdminResponse json(int status, const JsonWriter& body);
  static AdminResponse json(int status, std::string body);
  static AdminResponse text(int status, std::string body,
                            std::string content_type = "text/plain; charset=utf-8");
  // {"error":"<code>","message":"<message>"}: code is stable (clients branch on it), message is
  // for people.
  static AdminResponse error(int status, std::string_view code, std::string_view message);
};

using Handler = std::function<AdminResponse(const AdminRequest&)>;

// A handler whose answer comes later, because the work runs on the daemon's worker thread (a
// directory read, a password change): it calls `respond` exactly once, on the event loop's thread.
// The request's body is wiped as soon as a handler returns: copy what it needs before.
using Respond = std::function<void(AdminResponse)>;
using AsyncHandler = std::function<void(const AdminRequest&, Respond)>;

}  // namespace ps::admin
