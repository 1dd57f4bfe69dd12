// Deciding a request from its head: the token is checked before a client may learn whether a path
// exists, public routes need none, and a handler that throws becomes a 500, not a crash.
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "core/json.h"
#include "daemon/admin/dispatch.h"

using namespace ps::admin;
using ps::sha256_hex;

namespace {

struct Fixture {
  Router router;
  TokenSet tokens = TokenSet::from_entries({{"ops", sha256_hex("t0k3n")}}).value();
  ps::NullLogger log;

  Fixture() {
    router.add(
        "GET", "/healthz", [](const AdminRequest&) { return AdminResponse::text(200, "ok"); },
        Access::public_);
    router.add("GET", "/v1/audit", [](const AdminRequest& r) {
      ps::JsonWriter w;
      w.begin_object().key("actor").value(r.actor).key("limit").value(r.query_or("limit", "50"));
      return AdminResponse::json(200, w.end_object());
    });
    router.add("POST", "/v1/boom", [](const AdminRequest&) -> AdminResponse {
      throw std::runtime_error("disk on fire");
    });
  }

  AdminResponse serve(std::string_view method, std::string_view target,
                      std::string_view authorization = "Bearer t0k3n") {
    auto admission = admit(router, tokens, {method, target, authorization, "127.0.0.1"});
    if (admission.reply) return *admission.reply;
    return invoke(*admission.handler, admission.request, log);
  }
};

std::string header(const AdminResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

}  // namespace

TEST_CASE("admin dispatch passes the token's name and the query to the handler",
          "[admin][dispatch]") {
  Fixture f;
  auto ok = f.serve("GET", "/v1/audit?limit=5");
  CHECK(ok.status == 200);
  CHECK(ok.body == "{\"actor\":\"ops\",\"limit\":\"5\"}\n");
  CHECK(f.serve("GET", "/healthz", "").status == 200);
}

TEST_CASE("admin dispatch asks for a token before revealing 404 or 405", "[admin][dispatch]") {
  Fixture f;
  auto missing = f.serve("GET", "/v1/nothing", "");
  CHECK(missing.status == 401);
  CHECK(header(missing, "WWW-Authenticate") == R"(Bearer realm="portalsync")");
  CHECK(f.serve("DELETE", "/v1/audit", "Bearer wrong").status == 401);
  auto wrong = f.serve("GET", "/v1/audit", "Bearer wrong");
  CHECK(header(wrong, "WWW-Authenticate") == R"(Bearer realm="portalsync", error="invalid_token")");
  CHECK(wrong.body ==
        "{\"error\":\"unauthorized\",\"message\":\"the bearer token is not valid\"}\n");
  CHECK(f.serve("GET", "/v1/audit", "Basic b3BzOnB3").status == 401);
  auto not_found = f.serve("GET", "/v1/nothing");
  CHECK(not_found.status == 404);
  CHECK(not_found.body == "{\"error\":\"not_found\",\"message\":\"no endpoint at /v1/nothing\"}\n");
  auto wrong_method = f.serve("DELETE", "/v1/audit");
  CHECK(wrong_method.status == 405);
  CHECK(header(wrong_method, "Allow") == "GET");
  CHECK(f.serve("POST", "/healthz", "").status == 405);
}

TEST_CASE("admin dispatch answers bad targets with 400 and handler exceptions with 500",
          "[admin][dispatch]") {
  Fixture f;
  CHECK(f.serve("GET", "http://example.org/v1/audit").status == 400);
  CHECK(f.serve("GET", "/v1/au%zzdit").status == 400);
  auto query = f.serve("GET", "/v1/audit?limit=1&limit=2");
  CHECK(query.status == 400);
  CHECK(query.body ==
        "{\"error\":\"bad_request\",\"message\":\"query parameter \\\"limit\\\" is "
        "given more than once\"}\n");
  auto boom = f.serve("POST", "/v1/boom");
  CHECK(boom.status == 500);
  CHECK(boom.body.find("internal_error") != std::string::npos);
  CHECK(boom.body.find("disk on fire") == std::string::npos);
}

TEST_CASE("dispatch: an async handler that answers and throws is answered exactly once",
          "[admin][dispatch]") {
  ps::NullLogger log;
  AdminRequest request;
  request.method = "GET";
  request.path = "/v1/x";
  std::vector<int> statuses;
  Respond record = [&](AdminResponse r) { statuses.push_back(r.status); };

  // Gave `respond` to a worker, then threw: the 500 now, the worker's late answer dropped.
  Respond given_away;
  AsyncHandler hands_off = [&](const AdminRequest&, Respond respond) {
    given_away = std::move(respond);
    throw std::runtime_error("bug after the hand-off");
  };
  invoke_async(hands_off, request, record, log);
  given_away(AdminResponse::json(200, "{}"));
  CHECK(statuses == std::vector<int>{500});

  // Answered, then threw: the answer stands, no 500 after it.
  statuses.clear();
  AsyncHandler answers = [](const AdminRequest&, Respond respond) {
    respond(AdminResponse::json(200, "{}"));
    throw std::runtime_error("bug after the answer");
  };
  invoke_async(answers, request, record, log);
  CHECK(statuses == std::vector<int>{200});
}
