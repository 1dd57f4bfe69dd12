// Shared by the admin HTTP tests: the server on a free loopback port with its event loop on a
// thread of the test (the daemon runs it on its main thread), curl as the client, and raw sockets
// for what curl will not send.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/json.h"
#include "daemon/admin/json_body.h"
#include "daemon/admin/server.h"
#include "tests/support/process.h"

namespace admin_test {

using namespace ps::admin;
using ps::sha256_hex;

// Collects log lines: tests check what an operator would see, and that tokens never show up.
class CaptureLogger : public ps::Logger {
 public:
  void log(ps::LogLevel, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& line : lines_) all += line + "\n";
    return all;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

inline AdminSettings loopback_settings(std::vector<TokenEntry> tokens = {}) {
  AdminSettings settings;
  settings.listen = "127.0.0.1:0";
  settings.tokens = std::move(tokens);
  return settings;
}

const std::string kOpsToken = "ops-0123456789abcdef";
const std::string kPortalToken = "portal-fedcba9876543210";

inline std::vector<TokenEntry> two_tokens() {
  return {{"ops", sha256_hex(kOpsToken)}, {"portal", sha256_hex(kPortalToken)}};
}

// How often the protected handlers ran: a refused request must not reach one.
struct Calls {
  std::atomic<int> protected_calls{0};
  boost::asio::io_context* io = nullptr;  // the server's loop, for asynchronous handlers
};

// Dummy endpoints shaped like the real ones: a public health check, one that echoes the actor,
// one with a path parameter, a query and a JSON body, and one that throws.
inline Router demo_router(Calls& calls) {
  Router router;
  router.add(
      "GET", "/healthz",
      [](const AdminRequest&) {
        return AdminResponse::json(
            200, ps::JsonWriter().begin_object().key("status").value("ok").end_object());
      },
      Access::public_);
  router.add("GET", "/v1/whoami", [&calls](const AdminRequest& r) {
    ++calls.protected_calls;
    return AdminResponse::json(
        200, ps::JsonWriter().begin_object().key("actor").value(r.actor).end_object());
  });
  router.add("POST", "/v1/approvals/{id}", [&calls](const AdminRequest& r) {
    ++calls.protected_calls;
    auto body = JsonBody::parse(r.body);
    if (!body) return AdminResponse::error(400, "bad_request", body.error());
    auto decision = body->string("decision");
    if (!decision) return AdminResponse::error(400, "bad_request", decision.error());
    ps::JsonWriter w;
    w.begin_object().key("id").value(r.param("id")).key("decision").value(decision.value());
    w.key("note")
        .value(r.query_or("note"))
        .key("actor")
        .value(r.actor)
        .key("bytes")
        .value(r.body.size());
    return AdminResponse::json(200, w.end_object());
  });
  router.add("GET", "/v1/boom", [&calls](const AdminRequest&) -> AdminResponse {
    ++calls.protected_calls;
    throw std::runtime_error("simulated bug");
  });
  return router;
}

class TestServer {
 public:
  // Runs f on the server's loop and waits for its result.
  template <class F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

  boost::asio::io_context& io() { return io_; }

  TestServer(AdminSettings settings, Router router)
      : server_(io_, std::move(settings), std::move(router), log_) {
    auto status = server_.start();
    INFO(status.message());
    REQUIRE(status);
    loop_ = std::thread([this] { io_.run(); });
  }

  ~TestServer() {
    on_loop([this] { server_.stop(); });
    loop_.join();
  }

  AdminMetrics metrics() {
    return on_loop([this] { return server_.metrics(); });
  }
  void replace_tokens(TokenSet tokens) {
    on_loop([this, &tokens] { server_.replace_tokens(std::move(tokens)); });
  }

  int port() const { return server_.port(); }
  std::string url(const std::string& path) const { return server_.url() + path; }
  CaptureLogger& log() { return log_; }

 private:
  boost::asio::io_context io_;
  CaptureLogger log_;
  AdminServer server_;
  std::thread loop_;
};

struct HttpResult {
  int status = 0;                              // 0 when curl got no response
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string curl_error;
};

// curl -i with extra arguments; headers of interim 100 responses are skipped.
inline HttpResult curl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"curl", "-sS", "-i", "--max-time", "20"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = ps::testing::run(argv, "", 30);
  HttpResult result;
  result.curl_error = run.err;
  std::string out = run.out;
  while (true) {
    auto end = out.find("\r\n\r\n");
    if (out.rfind("HTTP/", 0) != 0 || end == std::string::npos) return result;
    std::string head = out.substr(0, end);
    out = out.substr(end + 4);
    result.status = std::stoi(head.substr(head.find(' ') + 1, 3));
    if (result.status >= 200) {
      std::size_t pos = head.find("\r\n");
      while (pos != std::string::npos) {
        auto next = head.find("\r\n", pos + 2);
        auto line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        pos = next;
      }
      result.body = out;
      return result;
    }
  }
}

inline std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

// A client socket connected to 127.0.0.1:port, closed when it goes away.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // False once the server has closed (or reset) the connection.
  bool send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  // Reads until the server closes the connection or `timeout` passes with nothing new.
  std::string read_until_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::string data;
    char buf[4096];
    while (poll_readable(timeout)) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
  }

  // Reads what arrives within `timeout`, stopping early once `marker` has been seen.
  std::string read_until(const std::string& marker, std::chrono::milliseconds timeout) {
    std::string data;
    char buf[4096];
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (data.find(marker) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !poll_readable(left)) break;
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
  }

  bool closed() const { return closed_; }

 private:
  bool poll_readable(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

  int fd_;
  bool closed_ = false;
};

// "HTTP/1.1 400 Bad Request\r\n..." → 400; 0 when there is no status line.
inline int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

}  // namespace admin_test
