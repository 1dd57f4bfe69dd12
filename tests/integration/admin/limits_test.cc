// What keeps one client from hurting the daemon: size limits answered with 4xx, malformed
// requests answered with 400, slow and idle clients disconnected, and a cap on connections. After
// each, the server still serves others.
#include "tests/integration/admin/admin_test_server.h"

using namespace admin_test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

std::string raw_exchange(int port, const std::string& request) {
  RawClient client(port);
  client.send(request);
  return client.read_until_closed();
}

template <class Predicate>
bool eventually(Predicate p, std::chrono::milliseconds timeout = 5s) {
  for (auto deadline = Clock::now() + timeout; Clock::now() < deadline;) {
    if (p()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return p();
}

}  // namespace

TEST_CASE("admin answers an oversized body with 413 before reading it", "[admin][limits]") {
  Calls calls;
  auto settings = loopback_settings(two_tokens());
  settings.limits.max_body_bytes = 1024;
  TestServer server(settings, demo_router(calls));
  std::string big = R"({"decision":")" + std::string(4000, 'x') + R"("})";
  auto r = curl({"-H", bearer(kOpsToken), "-H", "Content-Type: application/json", "-d", big,
                 server.url("/v1/approvals/1")});
  INFO(r.curl_error);
  CHECK(r.status == 413);
  CHECK(r.body ==
        R"({"error":"payload_too_large","message":"the request body is larger than 1024 bytes"})"
        "\n");
  // Without Expect: 100-continue the client sends the body anyway; it still gets the 413 (the
  // server reads and drops the rest instead of resetting the connection).
  auto raw = raw_exchange(
      server.port(), "POST /v1/approvals/1 HTTP/1.1\r\nHost: x\r\n" + bearer(kOpsToken) +
                         "\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big);
  CHECK(status_of(raw) == 413);
  auto chunked = raw_exchange(server.port(), "POST /v1/approvals/1 HTTP/1.1\r\nHost: x\r\n" +
                                                 bearer(kOpsToken) +
                                                 "\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                 "fa0\r\n" +
                                                 big.substr(0, 4000) + "\r\n0\r\n\r\n");
  CHECK(status_of(chunked) == 413);
  CHECK(calls.protected_calls == 0);
  auto small =
      curl({"-H", bearer(kOpsToken), "-d", R"({"decision":"ok"})", server.url("/v1/approvals/1")});
  CHECK(small.status == 200);
}

TEST_CASE("admin answers an oversized header with 431", "[admin][limits]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto r = curl({"-H", "X-Padding: " + std::string(10000, 'a'), server.url("/healthz")});
  INFO(r.curl_error);
  CHECK(r.status == 431);
  CHECK(r.body.find(R"("error":"header_too_large")") != std::string::npos);
  CHECK(curl({server.url("/healthz")}).status == 200);
}

TEST_CASE("admin answers malformed requests with 400", "[admin][limits]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto garbage = raw_exchange(server.port(), "GARBAGE\r\n\r\n");
  CHECK(status_of(garbage) == 400);
  CHECK(garbage.find(R"("error":"bad_request")") != std::string::npos);
  // Beast speaks HTTP/1.0 and 1.1 only and takes any other version for a malformed request.
  CHECK(status_of(raw_exchange(server.port(), "GET /healthz HTTP/1.2\r\n\r\n")) == 400);
  CHECK(status_of(raw_exchange(
            server.port(), "POST /v1/approvals/1 HTTP/1.1\r\nContent-Length: abc\r\n\r\n")) == 400);
  CHECK(status_of(raw_exchange(server.port(), "GET /he\x01lthz HTTP/1.1\r\n\r\n")) == 400);
  CHECK(status_of(raw_exchange(
            server.port(), "GET http://x/healthz HTTP/1.1\r\nConnection: close\r\n\r\n")) == 400);
  // A TLS ClientHello sent to the plain port.
  CHECK(status_of(raw_exchange(server.port(),
                               std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11))) ==
        400);
  CHECK(curl({server.url("/healthz")}).status == 200);
  CHECK(server.metrics().responses_by_class[4] == 6);
}

TEST_CASE("admin disconnects a slowloris client after the header timeout while serving others",
          "[admin][limits]") {
  Calls calls;
  auto settings = loopback_settings(two_tokens());
  settings.limits.header_timeout = 1000ms;  // the request timeout stays 10 s
  TestServer server(settings, demo_router(calls));
  std::atomic<bool> slow_closed{false};
  std::atomic<long> slow_lasted_ms{0};
  std::thread slow([&] {
    RawClient client(server.port());
    std::string trickle = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'a');
    auto start = Clock::now();
    for (char c : trickle) {
      if (!client.send(std::string(1, c)) || !client.read_until("\n", 100ms).empty() ||
          client.closed()) {
        break;
      }
    }
    client.read_until_closed(1s);
    slow_closed = client.closed();
    slow_lasted_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  });
  std::this_thread::sleep_for(300ms);
  auto served_at = Clock::now();
  auto other = curl({server.url("/healthz")});
  auto serve_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - served_at).count();
  slow.join();
  CHECK(other.status == 200);
  CHECK(serve_ms < 900);
  CHECK(slow_closed);
  CHECK(slow_lasted_ms >= 900);
  CHECK(slow_lasted_ms < 3000);
  CHECK(server.metrics().connections_timed_out == 1);
}

TEST_CASE("admin closes a keep-alive connection left idle", "[admin][limits]") {
  Calls calls;
  auto settings = loopback_settings(two_tokens());
  settings.limits.idle_timeout = 500ms;
  TestServer server(settings, demo_router(calls));
  RawClient client(server.port());
  REQUIRE(client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = Clock::now();
  auto response = client.read_until_closed(3s);
  auto lasted = Clock::now() - start;
  CHECK(status_of(response) == 200);
  CHECK(client.closed());
  CHECK(lasted >= 400ms);
  CHECK(lasted < 2s);
}

TEST_CASE("admin closes a connection that sends no request head within the header timeout",
          "[admin][limits]") {
  Calls calls;
  auto settings = loopback_settings(two_tokens());
  settings.limits.header_timeout = 500ms;
  TestServer server(settings, demo_router(calls));
  RawClient client(server.port());
  auto start = Clock::now();
  client.read_until_closed(5s);
  auto lasted = Clock::now() - start;
  CHECK(client.closed());
  CHECK(lasted >= 400ms);
  CHECK(lasted < 2s);  // not the 10 s request timeout
  CHECK(server.metrics().connections_timed_out == 1);
}

TEST_CASE("admin refuses connections with 503 when every one is busy, and recovers",
          "[admin][limits]") {
  Calls calls;
  auto settings = loopback_settings(two_tokens());
  settings.limits.max_connections = 2;
  // Requests that stay in their handler until the test lets them go: busy connections.
  std::vector<Respond> held;
  auto router = demo_router(calls);
  router.add_async("GET", "/v1/hold",
                   [&held](const AdminRequest&, Respond respond) { held.push_back(respond); });
  TestServer server(settings, std::move(router));
  auto hold = [&](RawClient& c) {
    return c.send("GET /v1/hold HTTP/1.1\r\nHost: x\r\n" + bearer(kOpsToken) + "\r\n\r\n");
  };
  auto first = std::make_unique<RawClient>(server.port());
  RawClient second(server.port());
  REQUIRE((hold(*first) && hold(second)));
  REQUIRE(eventually([&] { return server.on_loop([&] { return held.size(); }) == 2; }));

  auto busy = curl({server.url("/healthz")});
  INFO(busy.curl_error);
  CHECK(busy.status == 503);
  CHECK(busy.headers["retry-after"] == "1");
  CHECK(busy.body.find(R"("error":"busy")") != std::string::npos);

  // Beyond twice the cap a connection is closed without an answer.
  RawClient third(server.port()), fourth(server.port());
  REQUIRE(eventually([&] { return server.metrics().open_connections == 4; }));
  CHECK(curl({server.url("/healthz")}).status == 0);

  first.reset();
  server.on_loop([&] {
    for (auto& respond : held) respond(AdminResponse::json(200, R"({"held":true})"));
    held.clear();
    return 0;
  });
  REQUIRE(eventually([&] { return server.metrics().open_connections <= 3; }));
  CHECK(curl({server.url("/healthz")}).status == 200);
  auto metrics = server.metrics();
  CHECK(metrics.connections_refused == 4);
  CHECK(metrics.connections_evicted == 0);
}
