#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace ps::testing {

namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  return a;
}

bool write_all(int fd, const char* data, ssize_t size) {
  while (size > 0) {
    auto n = write(fd, data, static_cast<size_t>(size));
    if (n <= 0) return false;
    data += n;
    size -= n;
  }
  return true;
}

}  // namespace

TcpProxy::TcpProxy(int server_port) : server_port_(server_port) {
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto address = loopback(0);
  socklen_t size = sizeof address;
  if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      listen(listener_, 16) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("tcp proxy: cannot listen on 127.0.0.1");
  port_ = ntohs(address.sin_port);
  relay_ = std::thread([this] { relay(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  relay_.join();
  for (auto [client, server] : links_) {
    close(client);
    close(server);
  }
  close(listener_);
}

// Polls in short steps so that freeze, thaw and stop take effect within 50 ms.
void TcpProxy::relay() {
  while (!stopping_) {
    if (frozen_) {
      usleep(50'000);
      continue;
    }
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    for (auto [client, server] : links_) {
      fds.push_back({client, POLLIN, 0});
      fds.push_back({server, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), 50) <= 0 || frozen_) continue;
    std::vector<std::pair<int, int>> open;
    for (std::size_t i = 0; i < links_.size(); ++i) {
      auto [client, server] = links_[i];
      bool alive = !fds[1 + 2 * i].revents || move_bytes(client, server);
      alive = alive && (!fds[2 + 2 * i].revents || move_bytes(server, client));
      if (alive) {
        open.push_back(links_[i]);
      } else {
        close(client);
        close(server);
      }
    }
    links_ = std::move(open);
    if (fds[0].revents & POLLIN) accept_one();
  }
}

void TcpProxy::accept_one() {
  int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) return;
  int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto address = loopback(server_port_);
  if (server < 0 || connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(client);
    if (server >= 0) close(server);
    return;
  }
  links_.emplace_back(client, server);
}

bool TcpProxy::move_bytes(int from, int to) {
  char buffer[16384];
  auto n = read(from, buffer, sizeof buffer);
  return n > 0 && write_all(to, buffer, n);
}

}  // namespace ps::testing
