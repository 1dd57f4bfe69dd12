// A connection flood from any local user must not keep a client with a complete request from its
// answer: 1,000 sockets that connect and send nothing, or trickle a request head that never ends,
// are held open (and reopened as the server closes them) while normal requests are timed.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "tests/integration/admin/admin_test_server.h"
#include "tests/support/build_paths.h"
#include "tests/support/temp_dir.h"

using namespace admin_test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// The flood runs as another local user (nobody), from the same 127.0.0.1 as the operator's curl:
// any local user can open sockets to the admin port. tests/integration/admin/flood.py holds the
// connections and prints "open N reopened M" after each round. Its text is passed with -c: nobody
// may not be able to read a checkout under a private directory.
class Flood {
 public:
  Flood(int port, int count) : log_(dir_.path() + "/flood.log") {
    std::ifstream script(ps::testing::source_dir() + "/tests/integration/admin/flood.py");
    std::string text((std::istreambuf_iterator<char>(script)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(text.empty());
    pid_ = ps::testing::spawn(
        {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c",
         text, std::to_string(port), std::to_string(count)},
        log_);
  }
  // What the flood printed, for a failure's message.
  std::string log_text() const {
    std::ifstream in(log_);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  ~Flood() { ps::testing::stop(pid_, SIGTERM); }
  // The flood's last round: {open, reopened}; {0, 0} before the first.
  std::pair<long, long> last_round() const {
    std::ifstream in(log_);
    std::string line, last;
    while (std::getline(in, line))
      if (line.rfind("open ", 0) == 0) last = line;
    long open = 0, reopened = 0;
    std::sscanf(last.c_str(), "open %ld reopened %ld", &open, &reopened);
    return {open, reopened};
  }

 private:
  ps::testing::TempDir dir_;
  std::string log_;
  pid_t pid_;
};

}  // namespace

TEST_CASE(
    "admin answers a complete request within 1 s while 1,000 idle and trickling "
    "connections are held open",
    "[admin][limits][flood]") {
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));  // default limits
  Flood flood(server.port(), 1000);
  // Let the flood reach the server's limits and churn.
  for (auto until = Clock::now() + 10s; flood.last_round().first < 990 && Clock::now() < until;)
    std::this_thread::sleep_for(100ms);
  INFO("the flood's output: " << flood.log_text().substr(0, 2000));
  REQUIRE(flood.last_round().first >= 990);
  std::this_thread::sleep_for(1500ms);
  const int kRequests = 20;
  long slowest_ms = 0;
  int answered = 0;
  for (int i = 0; i < kRequests; ++i) {
    auto start = Clock::now();
    // From the flood's own address, 127.0.0.1: its user's connections are counted apart.
    auto r = i % 2 == 0 ? curl({"-H", bearer(kOpsToken), server.url("/v1/whoami")})
                        : curl({server.url("/healthz")});
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    INFO("request " << i << ": " << r.status << " " << r.curl_error << " in " << ms << " ms");
    CHECK(r.status == 200);
    CHECK(ms < 1000);
    if (r.status == 200) ++answered;
    slowest_ms = std::max(slowest_ms, static_cast<long>(ms));
    std::this_thread::sleep_for(100ms);
  }
  auto m = server.metrics();
  WARN("flood: slowest of " << kRequests << " requests " << slowest_ms << " ms; "
                            << m.connections_accepted << " accepted, " << m.connections_evicted
                            << " evicted, " << flood.last_round().second
                            << " reopened by the flood");
  CHECK(answered == kRequests);
  CHECK(m.connections_evicted > 0);
  CHECK(m.open_connections <= 2 * 32 + 10);
}
