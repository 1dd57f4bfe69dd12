// Running the real portalsyncd against a real slapd: a NOTIFY_SOCKET the test reads, waiting for
// a directory value to appear, and the daemon's log.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/portal_fixture.h"

namespace ps::testing {

// Tests run side by side: each daemon's admin API takes a free port (logged as "admin API at").
inline const std::string kAdminOnAnyPort = "admin:\n  listen: \"127.0.0.1:0\"\n";

// A datagram socket like systemd's notify socket: the daemon's sd_notify messages arrive here.
class NotifySocket {
 public:
  explicit NotifySocket(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  ~NotifySocket() {
    close(fd_);
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

  // Waits for a message containing `needle`; every message read is kept in received().
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(needle) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      auto n = recv(fd_, buf, sizeof buf, 0);
      if (n > 0) received_.append(buf, static_cast<std::size_t>(n)).append("\n");
    }
    return true;
  }
  const std::string& received() const { return received_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string received_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// How long a test waits for the daemon to finish a run it expects. Generous because a CI machine
// runs two test processes per core beside slapd and Samba; wait_until returns as soon as it holds.
constexpr std::chrono::seconds kRunWait{30};

// Polls `probe` every 20 ms until it returns true; the time it took, or nothing on timeout.
template <typename Probe>
std::optional<std::chrono::milliseconds> wait_until(Probe probe,
                                                    std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < timeout) {
    if (probe())
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

// The value of `attribute` on the entry with uid=`username` below the portal base, or "".
inline std::string directory_value(const SlapdServer& slapd, const PortalFixture& portal,
                                   const std::string& username, const std::string& attribute) {
  auto found = slapd.search(portal.base_dn(), "(uid=" + username + ")", {attribute});
  return found.empty() ? "" : found.front().first(attribute);
}

}  // namespace ps::testing
