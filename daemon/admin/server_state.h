// Inside the admin server: what the acceptor and every connection share. Connections hold a
// shared_ptr to it, so it outlives the AdminServer object while their handlers wind down.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <set>

#include "core/log.h"
#include "daemon/admin/metrics.h"
#include "daemon/admin/router.h"
#include "daemon/admin/settings.h"
#include "daemon/admin/tokens.h"

namespace ps::admin {

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void abort() = 0;  // close the socket now; pending operations complete with an error
};

struct ServerState {
  ServerState(boost::asio::io_context& io, AdminSettings settings, Router router, Logger& log)
      : settings(std::move(settings)),
        router(std::move(router)),
        log(log),
        acceptor(io),
        retry_timer(io) {}

  AdminSettings settings;
  Router router;
  Logger& log;
  std::shared_ptr<const TokenSet> tokens = std::make_shared<TokenSet>();
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer retry_timer;  // after an accept error such as "too many open files"
  AdminMetrics metrics;
  std::set<Connection*> connections;  // every live one, refused ones included
  std::size_t refused_open = 0;       // of those, the ones only being told 503
  bool started = false;
  bool stopped = false;
};

// Serves one accepted connection until it closes. A refused one (over the connection cap) has its
// request head read and answered with 503, then is closed.
void start_session(const std::shared_ptr<ServerState>& state, boost::asio::ip::tcp::socket socket,
                   bool refused);

}  // namespace ps::admin
