#include "daemon/admin/server.h"

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <charconv>

#include "daemon/admin/server_state.h"

namespace ps::admin {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// "127.0.0.1:8650" or "[::1]:8650". An IP address, not a host name: resolving one would block the
// loop, and a name that resolves to several addresses makes "where does it listen" unclear.
Result<tcp::endpoint> parse_listen(const std::string& listen) {
  std::string where = "admin.listen \"" + listen + "\": ";
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error{where + "expected IP:PORT"};
  std::string host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  auto digits = std::string_view(listen).substr(colon + 1);
  auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || err != std::errc() || end != digits.data() + digits.size() ||
      port > 65535) {
    return Error{where + "the port must be a number from 0 to 65535"};
  }
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec)
    return Error{where + "\"" + host + "\" is not an IP address (host names are not resolved)"};
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

Status check_limits(const AdminLimits& limits) {
  if (limits.max_header_bytes < 512 || limits.max_header_bytes > (1u << 20)) {
    return Status::error("admin.limits.max_header_bytes must be from 512 to 1048576");
  }
  if (limits.max_body_bytes == 0) return Status::error("admin.limits.max_body_bytes must be > 0");
  if (limits.header_timeout.count() <= 0 || limits.request_timeout.count() <= 0 ||
      limits.idle_timeout.count() <= 0) {
    return Status::error("admin.limits: timeouts must be positive");
  }
  if (limits.max_connections == 0) return Status::error("admin.limits.max_connections must be > 0");
  if (limits.max_connections_per_address == 0)
    return Status::error("admin.limits.max_connections_per_address must be > 0");
  return Status::ok();
}

Status load_tls(ServerState& state) {
  const auto& s = state.settings;
  if (s.tls_cert.empty() && s.tls_key.empty()) {
    if (!s.client_ca.empty()) return Status::error("client_ca needs TLS: set tls_cert and tls_key");
    return Status::ok();
  }
  if (s.tls_cert.empty() || s.tls_key.empty()) {
    return Status::error("admin: TLS needs both tls_cert and tls_key");
  }
  state.tls.emplace(net::ssl::context::tls_server);
  auto& ctx = *state.tls;
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_options(net::ssl::context::default_workarounds | net::ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(s.tls_cert, ec);
  if (ec) return Status::error("admin.tls_cert " + s.tls_cert + ": cannot load: " + ec.message());
  ctx.use_private_key_file(s.tls_key, net::ssl::context::pem, ec);
  if (ec) return Status::error("admin.tls_key " + s.tls_key + ": cannot load: " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return Status::error("admin.tls_key " + s.tls_key + ": does not match admin.tls_cert");
  }
  if (s.client_ca.empty()) return Status::ok();
  ctx.load_verify_file(s.client_ca, ec);
  if (ec) return Status::error("client_ca " + s.client_ca + ": cannot load: " + ec.message());
  ctx.set_verify_mode(net::ssl::verify_peer | net::ssl::verify_fail_if_no_peer_cert);
  return Status::ok();
}

// Tokens, and the passwords some endpoints take, must not cross a network in clear text.
Status check_transport(ServerState& state, const tcp::endpoint& endpoint) {
  if (state.tls || endpoint.address().is_loopback()) return Status::ok();
  const auto& listen = state.settings.listen;
  if (!state.settings.allow_insecure_listen) {
    return Status::error("admin.listen " + listen +
                         ": plain HTTP on an address other than loopback would send tokens and "
                         "passwords in clear text; set tls_cert and tls_key, listen on 127.0.0.1 "
                         "or [::1], or set allow_insecure_listen: true");
  }
  state.log.log(LogLevel::warning,
                "admin: INSECURE: listening on " + listen +
                    " without TLS (allow_insecure_listen: true); bearer tokens and passwords "
                    "cross the network in clear text");
  return Status::ok();
}

Status listen(ServerState& state, const tcp::endpoint& endpoint, const std::string& listen) {
  boost::system::error_code ec;
  auto& acceptor = state.acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.close();
    return Status::error("admin.listen " + listen + ": cannot listen: " + ec.message());
  }
  return Status::ok();
}

void accept_next(const std::shared_ptr<ServerState>& state);

void on_accept(const std::shared_ptr<ServerState>& state, boost::system::error_code ec,
               tcp::socket socket) {
  if (state->stopped || ec == net::error::operation_aborted) return;
  if (ec) {
    // Usually out of file descriptors: retrying at once would spin.
    state->log.log(LogLevel::warning, "admin: cannot accept a connection: " + ec.message());
    state->retry_timer.expires_after(std::chrono::milliseconds(200));
    state->retry_timer.async_wait([state](boost::system::error_code wait_ec) {
      if (!wait_ec) accept_next(state);
    });
    return;
  }
  auto& metrics = state->metrics;
  ++metrics.connections_accepted;
  boost::system::error_code address_ec;
  auto client = socket.remote_endpoint(address_ec).address().to_string();
  // Every local user connects from 127.0.0.1: a loopback client is counted (and logged) as its
  // user, so one user's flood stays within its own share of max_connections_per_address.
  if (auto uid = state->loopback_peers.uid_of(socket.native_handle()))
    client += " (uid " + std::to_string(*uid) + ")";
  auto verdict = state->connections.admit(client, state->settings.limits, Connection::Clock::now());
  metrics.connections_evicted = state->connections.evicted_total();
  using Verdict = ConnectionTable::Verdict;
  bool refused = verdict != Verdict::serve;
  if (refused) {
    ++metrics.connections_refused;
    if (verdict == Verdict::drop) {
      boost::system::error_code close_ec;
      socket.close(close_ec);
      return accept_next(state);
    }
  }
  start_session(state, std::move(socket), std::move(client), refused);
  accept_next(state);
}

void accept_next(const std::shared_ptr<ServerState>& state) {
  state->acceptor.async_accept([state](boost::system::error_code ec, tcp::socket socket) {
    on_accept(state, ec, std::move(socket));
  });
}

}  // namespace

AdminServer::AdminServer(boost::asio::io_context& io, AdminSettings settings, Router router,
                         Logger& log)
    : state_(std::make_shared<ServerState>(io, std::move(settings), std::move(router), log)) {}

AdminServer::~AdminServer() { stop(); }

Status AdminServer::start() {
  if (state_->started) return Status::error("admin: the server was already started");
  auto tokens = TokenSet::from_entries(state_->settings.tokens);
  if (!tokens) return tokens.status();
  auto endpoint = parse_listen(state_->settings.listen);
  if (!endpoint) return endpoint.status();
  if (auto s = check_limits(state_->settings.limits); !s) return s;
  if (auto s = load_tls(*state_); !s) return s;
  if (auto s = check_transport(*state_, endpoint.value()); !s) return s;
  if (auto s = listen(*state_, endpoint.value(), state_->settings.listen); !s) return s;
  replace_tokens(std::move(tokens.value()));
  state_->started = true;
  accept_next(state_);
  return Status::ok();
}

void AdminServer::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  state_->retry_timer.cancel();
  state_->connections.abort_all();
}

void AdminServer::replace_tokens(TokenSet tokens) {
  state_->tokens = std::make_shared<const TokenSet>(std::move(tokens));
}

unsigned short AdminServer::port() const {
  boost::system::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string AdminServer::url() const {
  boost::system::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  if (ec) return "";
  auto host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return (state_->tls ? "https://" : "http://") + host + ":" + std::to_string(endpoint.port());
}

const AdminMetrics& AdminServer::metrics() const { return state_->metrics; }

}  // namespace ps::admin
