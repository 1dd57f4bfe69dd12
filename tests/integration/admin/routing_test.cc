// Routing and errors through real HTTP: path parameters and queries reach the handler decoded,
// JSON bodies are read, and every error is JSON with a stable code.
#include "tests/integration/admin/admin_test_server.h"

using namespace admin_test;

TEST_CASE("admin handler sees path parameter, query, JSON body and actor", "[admin][routing]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto r = curl({"-H", bearer(kPortalToken), "-H", "Content-Type: application/json", "-d",
                 R"({"decision":"approve"})",
                 server.url("/v1/approvals/req%2042?note=%E7%A7%91%E9%95%B7+ok")});
  INFO(r.curl_error);
  CHECK(r.status == 200);
  CHECK(r.body ==
        R"({"id":"req 42","decision":"approve","note":"科長 ok","actor":"portal","bytes":22})"
        "\n");
  CHECK(r.headers["cache-control"] == "no-store");
}

TEST_CASE("admin answers unknown paths with 404 and wrong methods with 405 and Allow",
          "[admin][routing]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto missing = curl({"-H", bearer(kOpsToken), server.url("/v1/nothing")});
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error":"not_found","message":"no endpoint at /v1/nothing"})"
                        "\n");
  auto wrong = curl({"-H", bearer(kOpsToken), "-X", "DELETE", server.url("/v1/whoami")});
  CHECK(wrong.status == 405);
  CHECK(wrong.headers["allow"] == "GET");
  CHECK(wrong.body.find(R"("error":"method_not_allowed")") != std::string::npos);
  CHECK(curl({"-X", "POST", server.url("/healthz")}).status == 405);
  CHECK(calls.protected_calls == 0);
}

TEST_CASE("admin reports bad JSON as 400 and a handler exception as 500, then serves on",
          "[admin][routing]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  auto bad =
      curl({"-H", bearer(kOpsToken), "-d", R"({"decision":)", server.url("/v1/approvals/1")});
  CHECK(bad.status == 400);
  CHECK(bad.body.find("not valid JSON") != std::string::npos);
  auto boom = curl({"-H", bearer(kOpsToken), server.url("/v1/boom")});
  CHECK(boom.status == 500);
  CHECK(boom.body.find(R"("error":"internal_error")") != std::string::npos);
  CHECK(server.log().text().find("GET /v1/boom failed: simulated bug") != std::string::npos);
  CHECK(curl({server.url("/healthz")}).status == 200);
}

TEST_CASE("admin serves several requests on one keep-alive connection", "[admin][routing]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  RawClient client(server.port());
  // Two requests in one write (pipelined), then a third that closes.
  REQUIRE(client.send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  REQUIRE(client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto all = client.read_until_closed();
  CHECK(client.closed());
  std::size_t responses = 0;
  for (auto pos = all.find("HTTP/1.1 200"); pos != std::string::npos;
       pos = all.find("HTTP/1.1 200", pos + 1)) {
    ++responses;
  }
  CHECK(responses == 3);
  auto metrics = server.metrics();
  CHECK(metrics.responses_by_class[2] == 3);
  CHECK(metrics.connections_accepted == 1);
}

TEST_CASE("admin answers Expect: 100-continue so curl sends a larger body at once",
          "[admin][routing]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));
  std::string body = R"({"decision":"approve","note":")" + std::string(4000, 'n') + R"("})";
  auto start = std::chrono::steady_clock::now();
  auto r = curl({"-H", bearer(kOpsToken), "-H", "Expect: 100-continue", "-d", body,
                 server.url("/v1/approvals/3")});
  auto elapsed = std::chrono::steady_clock::now() - start;
  INFO(r.curl_error);
  CHECK(r.status == 200);
  CHECK(r.body.find("\"bytes\":" + std::to_string(body.size())) != std::string::npos);
  CHECK(elapsed < std::chrono::milliseconds(900));  // curl waits 1 s for a 100 that never comes
}

TEST_CASE("an asynchronous handler answers later while the loop serves other requests",
          "[admin][routing]") {
  Calls calls;
  auto router = demo_router(calls);
  std::thread worker;
  router.add_async("GET", "/v1/slow", [&](const AdminRequest& r, Respond respond) {
    // Work elsewhere, then the answer is handed back on the loop, as the daemon's worker does.
    auto* io = calls.io;
    worker = std::thread([io, respond, actor = r.actor] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      boost::asio::post(*io, [respond, actor] {
        respond(AdminResponse::json(200, R"({"done":true,"actor":")" + actor + "\"}"));
      });
    });
  });
  TestServer server(loopback_settings(two_tokens()), std::move(router));
  calls.io = &server.io();
  auto slow = std::async(std::launch::async, [&] {
    return curl({"-H", bearer(kOpsToken), server.url("/v1/slow")});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(curl({server.url("/healthz")}).status == 200);
  // Served while the slow request still waits for its answer.
  CHECK(slow.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  auto answer = slow.get();
  CHECK(answer.status == 200);
  CHECK(answer.body == R"({"done":true,"actor":"ops"})"
                       "\n");
  worker.join();
}
