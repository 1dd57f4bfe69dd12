#include "daemon/admin/dispatch.h"

#include <exception>
#include <memory>
#include <utility>

#include "daemon/admin/url.h"

namespace ps::admin {

namespace {

AdminResponse unauthorized(bool token_sent) {
  auto reply = AdminResponse::error(
      401, "unauthorized",
      token_sent ? "the bearer token is not valid"
                 : "this endpoint needs a bearer token: Authorization: Bearer <token>");
  reply.headers.emplace_back("WWW-Authenticate",
                             token_sent ? R"(Bearer realm="portalsync", error="invalid_token")"
                                        : R"(Bearer realm="portalsync")");
  return reply;
}

AdminResponse method_not_allowed(std::string_view method, const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& m : allowed) list += (list.empty() ? "" : ", ") + m;
  auto reply = AdminResponse::error(
      405, "method_not_allowed", "this endpoint accepts " + list + ", not " + std::string(method));
  reply.headers.emplace_back("Allow", list);
  return reply;
}

std::string route_name(const Router::Route& route) { return route.method + " " + route.pattern; }

// 403 names the roles that would do, so an operator knows which token to ask for.
std::optional<AdminResponse> refused_by_role(const Router::Route& route, const Identity& who) {
  if (role_has(who.role, route.duty)) return std::nullopt;
  std::string roles;
  for (auto role : roles_with(route.duty))
    roles += (roles.empty() ? "" : " or ") + std::string(to_string(role));
  return AdminResponse::error(403, "forbidden",
                              route_name(route) + " needs role " + roles + "; token " + who.name +
                                  " is " + std::string(to_string(who.role)));
}

// The operator's endpoints (a run, a plan, a hold, the quarantine) act on every unit at once,
// so a token limited to some units cannot use them.
std::optional<AdminResponse> refused_by_scope(const Router::Route& route, const Identity& who) {
  bool whole_directory = route.duty == Duty::operate || route.duty == Duty::administer;
  if (who.scope.empty() || !whole_directory) return std::nullopt;
  return AdminResponse::error(
      403, "forbidden",
      route_name(route) + " acts on every unit; token " + who.name + " is limited to some units");
}

}  // namespace

Admission admit(const Router& router, const TokenSet& tokens, const RequestHead& head) {
  Admission result;
  if (head.target.empty() || head.target.front() != '/') {
    result.reply = AdminResponse::error(400, "bad_request", "the request target must be a path");
    return result;
  }
  auto question = head.target.find('?');
  auto path = head.target.substr(0, question);
  auto match = router.match(head.method, path);
  using Kind = Router::Match::Kind;
  if (match.kind == Kind::bad_path) {
    result.reply = AdminResponse::error(400, "bad_request", "the path has a malformed %-escape");
    return result;
  }
  bool open = match.kind == Kind::found
                  ? match.route->access == Access::public_
                  : match.kind == Kind::method_not_allowed && match.public_path;
  std::optional<Identity> who;
  if (!open) {
    auto token = bearer_token(head.authorization);
    who = token ? tokens.authenticate(*token) : std::nullopt;
    if (!who) {
      result.reply = unauthorized(token.has_value());
      return result;
    }
    result.request.actor = who->actor();
    result.request.token_name = who->name;
    result.request.role = who->role;
    result.request.scope = who->scope;
  }
  if (match.kind == Kind::not_found) {
    result.reply = AdminResponse::error(404, "not_found", "no endpoint at " + std::string(path));
    return result;
  }
  if (match.kind == Kind::method_not_allowed) {
    result.reply = method_not_allowed(head.method, match.allowed);
    return result;
  }
  if (who) {
    result.reply = refused_by_role(*match.route, *who);
    if (!result.reply) result.reply = refused_by_scope(*match.route, *who);
    if (result.reply) return result;
  }
  auto query = parse_query(question == std::string_view::npos ? std::string_view()
                                                              : head.target.substr(question + 1));
  if (!query) {
    result.reply = AdminResponse::error(400, "bad_request", query.error());
    return result;
  }
  result.request.method = std::string(head.method);
  result.request.path = std::string(path);
  result.request.params = std::move(match.params);
  result.request.query = std::move(query.value());
  result.request.remote = head.remote;
  if (match.route->async_handler)
    result.async_handler = &match.route->async_handler;
  else
    result.handler = &match.route->handler;
  return result;
}

namespace {

AdminResponse internal_error(const AdminRequest& request, Logger& log, const char* what) {
  log.log(LogLevel::error, "admin: " + request.method + " " + request.path + " failed" +
                               (what ? std::string(": ") + what : std::string()));
  return AdminResponse::error(500, "internal_error",
                              "the request failed inside the daemon; its log has the details");
}

}  // namespace

AdminResponse invoke(const Handler& handler, const AdminRequest& request, Logger& log) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return internal_error(request, log, e.what());
  } catch (...) {
    return internal_error(request, log, nullptr);
  }
}

// The handler may give `respond` away (to a worker) and then throw: the 500 goes out only if
// no answer did, and a late answer after the 500 is dropped, so the connection sees one.
void invoke_async(const AsyncHandler& handler, const AdminRequest& request, Respond respond,
                  Logger& log) {
  auto answered = std::make_shared<bool>(false);
  auto once = [answered, respond](AdminResponse reply) {
    if (std::exchange(*answered, true)) return;
    respond(std::move(reply));
  };
  try {
    handler(request, once);
  } catch (const std::exception& e) {
    once(internal_error(request, log, e.what()));
  } catch (...) {
    once(internal_error(request, log, nullptr));
  }
}

}  // namespace ps::admin
