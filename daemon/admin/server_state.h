// Inside the admin server: what the acceptor and every connection share. Connections hold a
// shared_ptr to it, so it outlives the AdminServer object while their handlers wind down.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

#include "core/log.h"
#include "daemon/admin/connection_table.h"
#include "daemon/admin/metrics.h"
#include "daemon/admin/peer_user.h"
#include "daemon/admin/router.h"
#include "daemon/admin/settings.h"
#include "daemon/admin/tokens.h"

namespace ps::admin {

struct ServerState {
  ServerState(boost::asio::io_context& io, AdminSettings settings, Router router, Logger& log)
      : io(io),
        settings(std::move(settings)),
        router(std::move(router)),
        log(log),
        acceptor(io),
        retry_timer(io) {}

  boost::asio::io_context& io;
  AdminSettings settings;
  Router router;
  Logger& log;
  std::shared_ptr<const TokenSet> tokens = std::make_shared<TokenSet>();
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer retry_timer;  // after an accept error such as "too many open files"
  AdminMetrics metrics;
  ConnectionTable connections;  // every live one, refused and evicted ones included
  LoopbackPeers loopback_peers;
  bool started = false;
  bool stopped = false;
};

// Serves one accepted connection until it closes. A refused one (every place busy) has its
// request head read and answered with 503, then is closed.
void start_session(const std::shared_ptr<ServerState>& state, boost::asio::ip::tcp::socket socket,
                   std::string remote, bool refused);

}  // namespace ps::admin
