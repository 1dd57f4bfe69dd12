// A connection flood from any local user must not keep a client with a complete request from its
// answer: 1,000 sockets that connect and send nothing, or trickle a request head that never ends,
// are held open (and reopened as the server closes them) while normal requests are timed.
#include <fcntl.h>
#include <sys/resource.h>

#include "tests/integration/admin/admin_test_server.h"

using namespace admin_test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// The test process holds both ends: 1,000 flood sockets, the server's side of its connections,
// curl's pipes. Debian's default soft limit is 1,024.
void raise_fd_limit(rlim_t wanted) {
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &limit) == 0);
  REQUIRE(limit.rlim_cur >= wanted);
}

// Keeps `count` connections open to the port: even ones idle, odd ones trickling one byte of an
// endless request head every 100 ms. One the server closed is reopened at once, as an attacker
// would.
class Flood {
 public:
  Flood(int port, int count) : port_(port), fds_(static_cast<std::size_t>(count), -1) {
    thread_ = std::thread([this] { run(); });
  }
  ~Flood() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }
  long reopened() const { return reopened_; }
  long open() const { return open_; }

 private:
  int connect_one() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 &&
        errno != EINPROGRESS) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  void run() {
    const std::string head = "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Pad: ";
    std::vector<std::size_t> sent(fds_.size(), 0);
    while (!stop_) {
      long live = 0;
      for (std::size_t i = 0; i < fds_.size(); ++i) {
        int& fd = fds_[i];
        if (fd >= 0) {
          // Closed by the server? (data it sent, such as a 408, counts as closed too)
          pollfd p{fd, POLLIN, 0};
          char buf[512];
          bool gone = ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) &&
                      ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0;
          if (!gone && i % 2 == 1) {
            char c = sent[i] < head.size() ? head[sent[i]] : 'a';
            auto n = ::send(fd, &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n == 1)
              ++sent[i];
            else if (errno != EAGAIN && errno != ENOTCONN)
              gone = true;
          }
          if (gone) {
            ::close(fd);
            fd = -1;
            ++reopened_;
          }
        }
        if (fd < 0) {
          fd = connect_one();
          sent[i] = 0;
        }
        if (fd >= 0) ++live;
      }
      open_ = live;
      std::this_thread::sleep_for(100ms);
    }
  }

  int port_;
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<long> reopened_{0}, open_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE(
    "admin answers a complete request within 1 s while 1,000 idle and trickling "
    "connections are held open",
    "[admin][limits][flood]") {
  raise_fd_limit(4096);
  Calls calls;
  TestServer server(loopback_settings(two_tokens()), demo_router(calls));  // default limits
  Flood flood(server.port(), 1000);
  // Let the flood reach the server's limits and churn.
  std::this_thread::sleep_for(1500ms);
  REQUIRE(flood.open() >= 990);

  long slowest_ms = 0;
  int answered = 0;
  for (int i = 0; i < 10; ++i) {
    auto start = Clock::now();
    // The client comes from another loopback address than the flood, as an operator's client
    // does from another host or user: the per-address limit keeps the flood to its own share and
    // it evicts only its own connections. (From the flood's own address a new connection can be
    // evicted in the ~2 ms before its head is read: 1 in 10 requests was, in a CI run; with
    // silent and older connections evicted first, 1 request in 100 still was, in 10 runs.)
    auto r =
        i % 2 == 0
            ? curl({"--interface", "127.0.0.2", "-H", bearer(kOpsToken), server.url("/v1/whoami")})
            : curl({"--interface", "127.0.0.2", server.url("/healthz")});
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    INFO("request " << i << ": " << r.status << " " << r.curl_error << " in " << ms << " ms");
    CHECK(r.status == 200);
    CHECK(ms < 1000);
    if (r.status == 200) ++answered;
    slowest_ms = std::max(slowest_ms, static_cast<long>(ms));
    std::this_thread::sleep_for(100ms);
  }
  auto m = server.metrics();
  WARN("flood: slowest of 10 requests " << slowest_ms << " ms; " << m.connections_accepted
                                        << " accepted, " << m.connections_evicted << " evicted, "
                                        << flood.reopened() << " reopened by the flood");
  CHECK(answered == 10);
  CHECK(m.connections_evicted > 0);
  CHECK(m.open_connections <= 2 * 32 + 10);
}
