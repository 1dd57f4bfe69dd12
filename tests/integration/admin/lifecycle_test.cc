// Stopping the server, as the daemon does on SIGTERM: open connections are closed and the event
// loop's run() returns, so the daemon can exit in time.
#include "tests/integration/admin/admin_test_server.h"

using namespace admin_test;
using namespace std::chrono_literals;

TEST_CASE("admin stop closes open connections and lets the event loop finish",
          "[admin][lifecycle]") {
  boost::asio::io_context io;
  CaptureLogger log;
  Calls calls;
  AdminServer server(io, loopback_settings(two_tokens()), demo_router(calls), log);
  REQUIRE(server.start());
  std::promise<void> loop_done;
  std::thread loop([&] {
    io.run();
    loop_done.set_value();
  });
  RawClient idle(server.port()), halfway(server.port());
  REQUIRE(halfway.send("POST /v1/approvals/1 HTTP/1.1\r\nContent-Length: 100\r\n"));
  std::this_thread::sleep_for(100ms);
  boost::asio::post(io, [&] { server.stop(); });
  bool finished = loop_done.get_future().wait_for(2s) == std::future_status::ready;
  if (!finished) io.stop();
  loop.join();
  CHECK(finished);
  idle.read_until_closed(1s);
  halfway.read_until_closed(1s);
  CHECK(idle.closed());
  CHECK(halfway.closed());
  CHECK(calls.protected_calls == 0);
}
