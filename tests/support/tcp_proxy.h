// A TCP relay on loopback between a client and a server, for partitions: frozen, it stops moving
// bytes both ways while every connection stays open, so each side sees a peer that has gone
// silent (what a network partition or a hung middlebox looks like), not one that hung up.
#pragma once

#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ps::testing {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a port the kernel picks) and relays each connection to `server_port`.
  explicit TcpProxy(int server_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void freeze() { frozen_ = true; }  // new connections wait in the backlog meanwhile
  void thaw() { frozen_ = false; }

 private:
  int server_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> frozen_{false};
  std::atomic<bool> stopping_{false};
  std::vector<std::pair<int, int>> links_;  // client, server; only the relay thread touches it
  std::thread relay_;

  void relay();
  void accept_one();
  bool move_bytes(int from, int to);  // false when either side closed
};

}  // namespace ps::testing
