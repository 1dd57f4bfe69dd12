// Authentication as an operator meets it with curl: /healthz is open, everything else needs a
// bearer token whose name becomes the actor, and a refused request never reaches its handler.
#include "tests/integration/admin/admin_test_server.h"

using namespace admin_test;

TEST_CASE("admin healthz answers without a token", "[admin][auth]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto r = curl({server.url("/healthz")});
  INFO(r.curl_error);
  CHECK(r.status == 200);
  CHECK(r.headers["content-type"] == "application/json");
  CHECK(r.body == "{\"status\":\"ok\"}\n");
}

TEST_CASE("admin refuses a missing, wrong or revoked token with 401 and never runs the handler",
          "[admin][auth]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto missing = curl({server.url("/v1/whoami")});
  CHECK(missing.status == 401);
  CHECK(missing.headers["www-authenticate"] == R"(Bearer realm="portalsync")");
  CHECK(missing.headers["content-type"] == "application/json");
  CHECK(missing.body.find(R"("error":"unauthorized")") != std::string::npos);
  auto wrong = curl({"-H", bearer("not-a-token"), server.url("/v1/whoami")});
  CHECK(wrong.status == 401);
  CHECK(wrong.headers["www-authenticate"] == R"(Bearer realm="portalsync", error="invalid_token")");
  auto hash_as_token = curl({"-H", bearer(sha256_hex(kOpsToken)), server.url("/v1/whoami")});
  CHECK(hash_as_token.status == 401);
  auto post = curl({"-H", bearer("not-a-token"), "-H", "Content-Type: application/json", "-d",
                    R"({"decision":"approve"})", server.url("/v1/approvals/7")});
  CHECK(post.status == 401);
  CHECK(calls.protected_calls == 0);

  auto ok = curl({"-H", bearer(kOpsToken), server.url("/v1/whoami")});
  CHECK(ok.status == 200);
  CHECK(ok.body == "{\"actor\":\"ops\"}\n");
  CHECK(calls.protected_calls == 1);

  // Revoke "ops" the way a SIGHUP reload will: its next request is refused, "portal" still works.
  server.replace_tokens(TokenSet::from_entries({{"portal", sha256_hex(kPortalToken)}}).value());
  CHECK(curl({"-H", bearer(kOpsToken), server.url("/v1/whoami")}).status == 401);
  CHECK(calls.protected_calls == 1);
  auto portal = curl({"-H", bearer(kPortalToken), server.url("/v1/whoami")});
  CHECK(portal.body == "{\"actor\":\"portal\"}\n");

  auto log = server.log().text();
  CHECK(log.find("GET /v1/whoami 401") != std::string::npos);
  CHECK(log.find(kOpsToken) == std::string::npos);
  CHECK(log.find("not-a-token") == std::string::npos);
}

TEST_CASE("admin revocation applies to a keep-alive connection that is already open",
          "[admin][auth]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  RawClient client(server.port());
  std::string request = "GET /v1/whoami HTTP/1.1\r\nHost: x\r\n" + bearer(kOpsToken) + "\r\n\r\n";
  REQUIRE(client.send(request));
  auto first = client.read_until("}\n", std::chrono::seconds(5));
  CHECK(status_of(first) == 200);
  server.replace_tokens(TokenSet());
  REQUIRE(client.send(request));
  auto second = client.read_until("}\n", std::chrono::seconds(5));
  CHECK(status_of(second) == 401);
  CHECK(calls.protected_calls == 1);
}

TEST_CASE("admin hides which paths exist from a client without a token", "[admin][auth]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  CHECK(curl({server.url("/v1/no-such-thing")}).status == 401);
  CHECK(curl({"-X", "DELETE", server.url("/v1/whoami")}).status == 401);
  CHECK(curl({"-H", bearer(kOpsToken), server.url("/v1/no-such-thing")}).status == 404);
}
