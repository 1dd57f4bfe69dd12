// Maps a method and a path to a handler. Patterns are literal segments and {name} parameters
// ("/v1/accounts/{username}/handover"); a parameter matches one whole, non-empty segment, after
// percent-decoding, so "/v1/accounts/%E7%8E%8B/handover" gives username "王". A pattern may end
// in "/" ("/ui/"): its last segment is then empty, and only "/ui/" matches it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/admin/handler.h"

namespace ps::admin {

enum class Access {
  token,   // needs a valid bearer token (the default)
  public_  // anyone who can reach the port: /healthz and the like
};

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Access access;
    Duty duty = Duty::administer;  // what a token's role must have (core/token_role.h)
    Handler handler;               // one of these two is set
    AsyncHandler async_handler;
    std::vector<std::string> segments;  // literal text, or "{name}"
  };

  struct Match {
    enum class Kind { found, not_found, method_not_allowed, bad_path } kind = Kind::not_found;
    const Route* route = nullptr;               // when found
    std::map<std::string, std::string> params;  // when found
    std::vector<std::string> allowed;           // when method_not_allowed, e.g. {"GET", "POST"}
    bool public_path = false;  // method_not_allowed: every route on this path is public
  };

  // Registers a route. A malformed pattern or a method and pattern registered twice is a
  // programming error: std::invalid_argument.
  Router& add(std::string_view method, std::string_view pattern, Handler handler,
              Access access = Access::token);

  // The same for a handler that answers later (AsyncHandler).
  Router& add_async(std::string_view method, std::string_view pattern, AsyncHandler handler,
                    Access access = Access::token);

  // What the route added last needs of a token's role; without it, only admin reaches it.
  Router& needs(Duty duty);

  // bad_path when a segment has a malformed %-escape.
  Match match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace ps::admin
