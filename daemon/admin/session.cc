// One admin connection, plain or TLS. A request is read in two steps: its head first (under the
// header limit), which is enough to refuse it (401, 404, 405, 503) without reading a body, then
// its body (under the body limit). Every read and write has a deadline; a client that is too slow
// is disconnected. A connection that ends after an error response is closed gracefully: our side
// is shut down and what the client still sends is read and dropped for a moment, so the client
// sees the response rather than a reset.
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <optional>
#include <type_traits>

#include "core/text.h"
#include "daemon/admin/dispatch.h"
#include "daemon/admin/server_state.h"
#include "daemon/admin/tcp_bytes.h"
#include "daemon/admin/wipe.h"

namespace ps::admin {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kMaxDrainBytes = 1 << 20;

bool is_http_parse_error(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

bool is_timeout(const beast::error_code& ec) { return ec == beast::error::timeout; }

// The subject of the certificate the client presented and OpenSSL verified, RFC 2253 style.
std::string peer_subject(SSL* ssl) {
  X509* cert = SSL_get_peer_certificate(ssl);
  if (!cert) return "";
  std::string subject;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    subject.assign(data, static_cast<std::size_t>(n));
    BIO_free(bio);
  }
  X509_free(cert);
  return subject;
}

// Holds a session for a handler that answers later. Such a handler may drop its copy on another
// thread (the worker that computed the answer): the last reference, and so the session's
// destructor and the connection table it updates, must still be on the loop.
template <class S>
class LoopHold {
 public:
  LoopHold(std::shared_ptr<S> session, net::io_context& io)
      : session_(std::move(session)), io_(&io) {}
  LoopHold(const LoopHold&) = default;
  LoopHold& operator=(const LoopHold&) = delete;
  ~LoopHold() {
    // A stopped loop runs nothing, so there is no one to race with (and no one to post to).
    if (session_ && !io_->get_executor().running_in_this_thread() && !io_->stopped())
      net::post(*io_, [session = std::move(session_)] {});
  }
  S* operator->() const { return session_.get(); }

 private:
  std::shared_ptr<S> session_;
  net::io_context* io_;
};

template <class Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... StreamArgs>
  Session(std::shared_ptr<ServerState> state, std::string remote, bool refused,
          StreamArgs&&... stream_args)
      : state_(std::move(state)),
        limits_(state_->settings.limits),
        refused_(refused),
        stream_(std::forward<StreamArgs>(stream_args)...),
        remote_(std::move(remote)) {
    state_->connections.add(*this, remote_, refused_, Clock::now());
    state_->metrics.open_connections = state_->connections.open();
  }

  ~Session() override {
    state_->connections.remove(*this);
    state_->metrics.open_connections = state_->connections.open();
  }

  void start() {
    head_deadline_ = Clock::now() + limits_.header_timeout;
    if constexpr (kTls) {
      tcp_layer().expires_at(head_deadline_);
      stream_.async_handshake(net::ssl::stream_base::server,
                              beast::bind_front_handler(&Session::on_handshake, self()));
    } else {
      read_head();
    }
  }

  void abort() override {
    beast::error_code ec;
    socket().close(ec);
  }

  bool client_has_sent() override { return tcp_bytes_received(socket().native_handle()) > 0; }

 private:
  std::shared_ptr<Session> self() { return this->shared_from_this(); }
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }
  tcp::socket& socket() { return tcp_layer().socket(); }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      // Not when we closed it ourselves (evicted to make room, or stopping): a flood would
      // otherwise write a line per connection.
      if (ec != net::error::operation_aborted && ec != net::error::bad_descriptor)
        state_->log.log(LogLevel::notice,
                        "admin: " + remote_ + ": TLS handshake failed: " + ec.message());
      return closed_by(ec);
    }
    if constexpr (kTls) client_subject_ = peer_subject(stream_.native_handle());
    read_head();
  }

  // Between requests on a keep-alive connection: wait up to idle_timeout for the next one to
  // begin, then give its head header_timeout to arrive in full.
  void await_next_request() {
    state_->connections.set_idle(*this, true, Clock::now());
    if (buffer_.size() > 0) {
      head_deadline_ = Clock::now() + limits_.header_timeout;
      return read_head();
    }
    tcp_layer().expires_after(limits_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = self()](beast::error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->closed_by(ec);
                              self->head_deadline_ = Clock::now() + self->limits_.header_timeout;
                              self->read_head();
                            });
  }

  void read_head() {
    admission_ = {};
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_body_bytes);
    tcp_layer().expires_at(head_deadline_);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_head, self()));
  }

  void on_head(beast::error_code ec, std::size_t) {
    if (ec) return read_failed(ec);
    // A whole head is in: from now on the connection is busy (not evicted to make room) and has
    // request_timeout for its body and response.
    state_->connections.set_idle(*this, false, Clock::now());
    tcp_layer().expires_after(limits_.request_timeout);
    const auto& req = parser_->get();
    version_ = req.version();
    if (refused_) return refuse_busy();
    RequestHead head{req.method_string(), req.target(), req[http::field::authorization], remote_};
    admission_ = admit(state_->router, *state_->tokens, head);
    admission_.request.client_subject = client_subject_;
    if (admission_.reply) return send(std::move(*admission_.reply), parser_->is_done());
    if (parser_->is_done()) return on_body({}, 0);
    if (iequals(req[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = self()](beast::error_code ec, std::size_t) {
                         if (ec) return self->closed_by(ec);
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, self()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return read_failed(ec);
    admission_.request.body = std::move(parser_->get().body());
    if (admission_.async_handler) {
      // The session stays alive until the handler answers (the lambda holds it).
      invoke_async(
          *admission_.async_handler, admission_.request,
          [self = LoopHold<Session>(self(), state_->io)](AdminResponse response) {
            self->send(std::move(response), true);
          },
          state_->log);
      forget_body();
      return;
    }
    auto response = invoke(*admission_.handler, admission_.request, state_->log);
    forget_body();
    send(std::move(response), true);
  }

  // A body may hold a password: once the handler has it, it is zeroed, and so is the read
  // buffer's storage the parser took it from (all of it when no further request is buffered).
  void forget_body() {
    wipe(admission_.request.body);
    auto spare = buffer_.prepare(buffer_.capacity() - buffer_.size());
    wipe(spare.data(), spare.size());
  }

  void refuse_busy() {
    auto reply =
        AdminResponse::error(503, "busy",
                             "the admin endpoint has " + std::to_string(limits_.max_connections) +
                                 " connections open, its limit; try again shortly");
    reply.headers.emplace_back("Retry-After", "1");
    send(std::move(reply), false);
  }

  void read_failed(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      send(AdminResponse::error(431, "header_too_large",
                                "the request head is larger than " +
                                    std::to_string(limits_.max_header_bytes) + " bytes"),
           false);
    } else if (ec == http::error::body_limit) {
      send(AdminResponse::error(413, "payload_too_large",
                                "the request body is larger than " +
                                    std::to_string(limits_.max_body_bytes) + " bytes"),
           false);
    } else if (is_http_parse_error(ec)) {
      send(AdminResponse::error(400, "bad_request", "malformed HTTP request: " + ec.message()),
           false);
    } else {
      closed_by(ec);
    }
  }

  // `may_keep_alive`: the whole request has been read, so the connection can serve another.
  void send(AdminResponse reply, bool may_keep_alive) {
    log_request(reply.status);
    state_->metrics.count_response(reply.status);
    bool keep_alive = may_keep_alive && parser_ && parser_->is_done() &&
                      parser_->get().keep_alive() && !state_->stopped;
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(reply.status));
    response_.set(http::field::content_type, reply.content_type);
    response_.set(http::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : reply.headers) response_.set(name, value);
    response_.body() = std::move(reply.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    tcp_layer().expires_after(limits_.request_timeout);
    http::async_write(stream_, response_,
                      [self = self(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return self->closed_by(ec);
                        if (keep_alive && !self->state_->stopped) return self->await_next_request();
                        self->close_gracefully();
                      });
  }

  void log_request(int status) {
    if (!parser_ || !parser_->is_header_done()) {
      state_->log.log(LogLevel::info, "admin: " + remote_ + " sent a request refused with " +
                                          std::to_string(status));
      return;
    }
    const auto& req = parser_->get();
    auto target = req.target();
    std::string line = "admin: " + remote_ + " " + std::string(req.method_string()) + " " +
                       std::string(target.substr(0, target.find('?'))) + " " +
                       std::to_string(status);
    if (!admission_.request.actor.empty()) line += " actor=" + admission_.request.actor;
    if (!client_subject_.empty()) line += " client=\"" + client_subject_ + "\"";
    auto level = status == 401   ? LogLevel::notice
                 : status >= 500 ? LogLevel::warning
                                 : LogLevel::debug;
    state_->log.log(level, line);
  }

  void close_gracefully() {
    tcp_layer().expires_after(kLinger);
    if constexpr (kTls) {
      stream_.async_shutdown([self = self()](beast::error_code) { self->abort(); });
    } else {
      beast::error_code ec;
      socket().shutdown(tcp::socket::shutdown_send, ec);
      drain();
    }
  }

  void drain() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = self()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrainBytes) return self->abort();
                              self->drain();
                            });
  }

  void closed_by(beast::error_code ec) {
    if (is_timeout(ec)) ++state_->metrics.connections_timed_out;
    abort();
  }

  using Clock = Connection::Clock;

  std::shared_ptr<ServerState> state_;
  const AdminLimits& limits_;
  bool refused_;
  Stream stream_;
  std::string remote_;
  std::string client_subject_;
  Clock::time_point head_deadline_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  unsigned version_ = 11;
  Admission admission_;
  http::response<http::string_body> response_;
  std::array<char, 4096> scratch_;
  std::size_t drained_ = 0;
};

}  // namespace

void start_session(const std::shared_ptr<ServerState>& state, tcp::socket socket,
                   std::string remote, bool refused) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  if (state->tls) {
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    std::make_shared<Session<TlsStream>>(state, std::move(remote), refused, std::move(socket),
                                         *state->tls)
        ->start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(state, std::move(remote), refused,
                                                 std::move(socket))
        ->start();
  }
}

}  // namespace ps::admin
