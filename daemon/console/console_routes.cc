#include "daemon/console/console_routes.h"

#include <string>

#include "daemon/console/console_files.h"

namespace ps {

using admin::AdminRequest;
using admin::AdminResponse;

namespace {

// Scripts and styles from /ui/ only (no inline script or style, no eval), data from the API on
// the same origin, never framed, no forms posted anywhere.
constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string_view content_type(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

AdminResponse with_guards(AdminResponse reply) {
  reply.headers.emplace_back("Content-Security-Policy", kPolicy);
  reply.headers.emplace_back("X-Frame-Options", "DENY");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

AdminResponse serve(std::string_view name) {
  for (const auto& file : console_files())
    if (file.name == name)
      return with_guards(
          AdminResponse::text(200, std::string(file.body), std::string(content_type(name))));
  return with_guards(
      AdminResponse::error(404, "not_found", "the console has no file " + std::string(name)));
}

}  // namespace

void add_console_routes(admin::Router& router) {
  auto open = admin::Access::public_;
  router.add(
      "GET", "/ui",
      [](const AdminRequest&) {
        auto moved = with_guards(AdminResponse::text(308, "/ui/"));
        moved.headers.emplace_back("Location", "/ui/");
        return moved;
      },
      open);
  router.add(
      "GET", "/ui/", [](const AdminRequest&) { return serve("index.html"); }, open);
  router.add(
      "GET", "/ui/{file}", [](const AdminRequest& r) { return serve(r.param("file")); }, open);
}

}  // namespace ps
