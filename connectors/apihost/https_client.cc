#include "connectors/apihost/https_client.h"

#include "connectors/apihost/apihost_wire.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <optional>
#include <thread>

namespace ps::apihost {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

struct Target {
  std::string host;  // without brackets
  std::string port = "443";
  std::string prefix;  // "" or "/ps"
};

Result<Target> parse_url(const std::string& url) {
  const std::string scheme = "https://";
  if (!url.starts_with(scheme))
    return Error{"directory.apihost.url \"" + url + "\": must start with https://"};
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  Target t;
  if (slash != std::string::npos) {
    t.prefix = rest.substr(slash);
    while (!t.prefix.empty() && t.prefix.back() == '/') t.prefix.pop_back();
    rest = rest.substr(0, slash);
  }
  auto close = rest.find(']');
  auto colon = rest.rfind(':');
  if (!rest.empty() && rest.front() == '[') {
    if (close == std::string::npos) return Error{"directory.apihost.url \"" + url + "\": bad host"};
    t.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') t.port = rest.substr(close + 2);
  } else if (colon != std::string::npos) {
    t.host = rest.substr(0, colon);
    t.port = rest.substr(colon + 1);
  } else {
    t.host = rest;
  }
  if (t.host.empty() || t.port.empty())
    return Error{"directory.apihost.url \"" + url + "\": expected https://HOST:PORT"};
  return t;
}

// Errors worth another try: the request may not have reached the server, or the answer was lost.
bool is_transient_status(int status) { return status == 502 || status == 503 || status == 504; }

}  // namespace

struct HttpsClient::Impl {
  ApihostSettings settings;
  Target target;
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::optional<Stream> stream;

  Status connect() {
    stream.reset();
    stream.emplace(io, tls);
    auto timeout = std::chrono::seconds(settings.timeout_seconds);
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(target.host, target.port, ec);
    if (ec) return Status::error("cannot resolve " + target.host + ": " + ec.message());
    auto& tcp_layer = beast::get_lowest_layer(*stream);
    tcp_layer.expires_after(timeout);
    tcp_layer.connect(endpoints, ec);
    if (ec) return Status::error("cannot connect: " + ec.message());
    // SNI and the name check; an IP address is matched against the certificate's IP entries.
    boost::system::error_code addr_ec;
    net::ip::make_address(target.host, addr_ec);
    if (addr_ec) SSL_set_tlsext_host_name(stream->native_handle(), target.host.c_str());
    stream->set_verify_callback(ssl::host_name_verification(target.host));
    stream->handshake(ssl::stream_base::client, ec);
    if (ec) return Status::error("TLS handshake failed: " + ec.message());
    return Status::ok();
  }

  Result<HttpReply> exchange(const std::string& method, const std::string& path,
                             const std::string& body) {
    if (!stream) {
      if (auto s = connect(); !s) return Error{s.message()};
    }
    http::request<http::string_body> req{http::string_to_verb(method), target.prefix + path, 11};
    req.set(http::field::host, target.host);
    req.set(http::field::authorization, "Bearer " + settings.token);
    req.set(http::field::user_agent, "portalsync");
    if (method == "POST") req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    auto& tcp_layer = beast::get_lowest_layer(*stream);
    tcp_layer.expires_after(std::chrono::seconds(settings.timeout_seconds));
    beast::error_code ec;
    http::write(*stream, req, ec);
    wipe_text(req.body());  // a batch may hold a password (set_password)
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (!ec) http::read(*stream, buffer, parser, ec);
    if (ec) {
      stream.reset();
      return Error{"the connection failed: " + ec.message()};
    }
    auto& res = parser.get();
    if (!res.keep_alive()) stream.reset();
    return HttpReply{static_cast<int>(res.result_int()), std::move(res.body())};
  }
};

Result<std::unique_ptr<HttpsClient>> HttpsClient::create(const ApihostSettings& settings) {
  auto target = parse_url(settings.url);
  if (!target) return Error{target.error()};
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->target = target.value();
  auto& tls = impl->tls;
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  tls.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (settings.ca_file.empty())
    tls.set_default_verify_paths(ec);
  else
    tls.load_verify_file(settings.ca_file, ec);
  if (ec)
    return Error{"directory.apihost.ca_file " + settings.ca_file +
                 ": cannot load: " + ec.message()};
  if (!settings.client_cert.empty()) {
    tls.use_certificate_chain_file(settings.client_cert, ec);
    if (ec)
      return Error{"directory.apihost.client_cert " + settings.client_cert +
                   ": cannot load: " + ec.message()};
    tls.use_private_key_file(settings.client_key, ssl::context::pem, ec);
    if (ec)
      return Error{"directory.apihost.client_key " + settings.client_key +
                   ": cannot load: " + ec.message()};
  }
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl), settings.url));
}

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl, std::string url)
    : impl_(std::move(impl)), url_(std::move(url)) {}
HttpsClient::~HttpsClient() = default;

Result<HttpReply> HttpsClient::get(const std::string& path) { return request("GET", path, ""); }
Result<HttpReply> HttpsClient::post(const std::string& path, const std::string& body) {
  return request("POST", path, body);
}

Result<HttpReply> HttpsClient::request(const std::string& method, const std::string& path,
                                       const std::string& body) {
  auto wait = std::chrono::milliseconds(impl_->settings.backoff_ms);
  std::string last;
  for (int attempt = 1; attempt <= impl_->settings.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(wait);
      wait = std::min(wait * 2, std::chrono::milliseconds(8000));
    }
    auto reply = impl_->exchange(method, path, body);
    if (reply && !is_transient_status(reply->status)) return reply;
    last = reply ? "HTTP " + std::to_string(reply->status) + " " + reply->body : reply.error();
  }
  return Error{"the API host " + url_ + " did not answer " + method + " " + path + " after " +
               std::to_string(impl_->settings.attempts) + " attempts: " + last};
}

}  // namespace ps::apihost
