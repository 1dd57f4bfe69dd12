// Who may hold one of the admin server's connections. A connection is idle while it waits for a
// request head (a new one, one doing its TLS handshake, one trickling its head, a keep-alive one
// between requests) and busy from a complete head until its response is written. At the limit a
// new connection takes the place of the one idle the longest, so clients that connect and send
// nothing cannot keep a client with a real request out; only when every connection is busy does
// a new one get 503. The same holds per client address, with its own, lower limit. Connections
// whose client has sent nothing go first, and one that connected less than kGrace ago goes only
// after older ones: a flood from a client's own address, reopening its sockets thousands of times
// a second, would otherwise close a new connection in the milliseconds before its head is parsed.
// Loop thread only; no Asio here, so the policy is tested on its own.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "daemon/admin/settings.h"

namespace ps::admin {

class Connection {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Connection() = default;
  virtual void abort() = 0;  // close the socket now; pending operations complete with an error
  // Whether the client has sent anything yet, read by the server or not (a request on its way).
  virtual bool client_has_sent() { return false; }

 private:
  friend class ConnectionTable;
  std::string address_;
  bool refused_ = false;  // only being told 503
  bool idle_ = true;
  bool evicted_ = false;  // aborted to make room, waiting for its handlers to wind down
  Clock::time_point idle_since_{};
  Clock::time_point connected_at_{};
};

class ConnectionTable {
 public:
  enum class Verdict {
    serve,   // a place was free, or was made by closing an idle connection
    refuse,  // every place is busy: answer 503 and close
    drop     // and as many are being refused already: close at once
  };

  // How long a new connection is spared while others can make room.
  static constexpr std::chrono::milliseconds kGrace{250};

  // Decides for a new connection from `address`, evicting (abort()ing) idle connections to make
  // room when the limits are reached.
  Verdict admit(const std::string& address, const AdminLimits& limits,
                Connection::Clock::time_point now);

  // A connection's life on the loop: add() it once admitted (refused: told 503), mark it busy
  // while it has a request, idle again between requests, remove() it from its destructor.
  void add(Connection& c, const std::string& address, bool refused,
           Connection::Clock::time_point now);
  void set_idle(Connection& c, bool idle, Connection::Clock::time_point now);
  void remove(Connection& c);
  void abort_all();

  std::size_t open() const { return all_.size(); }  // every live socket
  std::size_t serving() const { return serving_; }  // neither refused nor evicted
  std::size_t refused_open() const { return refused_open_; }
  std::size_t evicted_total() const { return evicted_total_; }

 private:
  Connection* victim(const std::string* address, Connection::Clock::time_point now);
  void evict(Connection& c);
  void uncount(Connection& c);

  std::set<Connection*> all_;
  std::map<std::string, std::size_t> serving_by_address_;
  std::size_t serving_ = 0;
  std::size_t refused_open_ = 0;
  std::size_t evicted_total_ = 0;
};

}  // namespace ps::admin
