// What the admin HTTP server is told by the configuration: where to listen, TLS files, the bearer
// tokens (by name and SHA-256 hash, never the token itself) and the limits that keep one client
// from tying up the daemon. Plain data: config/ fills it in, AdminServer checks it in start().
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace ps::admin {

struct TokenEntry {
  std::string name;    // the actor recorded in the change log for requests made with this token
  std::string sha256;  // hex SHA-256 of the token (64 hex digits)
};

struct AdminLimits {
  std::size_t max_header_bytes = 8 * 1024;  // request line and all header fields together
  std::size_t max_body_bytes = 64 * 1024;
  // A client has this long to send a whole request once it has begun (on a new connection: from
  // connecting), and to take the response; a slow client is then disconnected.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout{30'000};
  // Connections beyond this get 503 and are closed; beyond twice this they are closed at once.
  std::size_t max_connections = 32;
};

struct AdminSettings {
  std::string listen = "127.0.0.1:8650";  // IP:PORT or [IPv6]:PORT; port 0 picks a free one
  std::string tls_cert;                   // PEM certificate chain; TLS when set (with tls_key)
  std::string tls_key;                    // PEM private key
  // PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS), and the
  // request carries the certificate's subject. Needs TLS.
  std::string client_ca;
  std::vector<TokenEntry> tokens;
  AdminLimits limits;
};

}  // namespace ps::admin
