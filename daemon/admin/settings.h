// What the admin HTTP server is told by the configuration: where to listen, TLS files, the bearer
// tokens (by name and SHA-256 hash, never the token itself) and the limits that keep one client
// from tying up the daemon. Plain data: config/ fills it in, AdminServer checks it in start().
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/scope_codes.h"
#include "core/token_role.h"

namespace ps::admin {

struct TokenEntry {
  std::string name;    // the actor recorded in the change log for requests made with this token
  std::string sha256;  // hex SHA-256 of the token (64 hex digits)
  std::optional<TokenRole> role{};  // none: configured before roles, acts as admin
  ScopeCodes scope{};  // the units and agencies the token is limited to; none: every unit
};

struct AdminLimits {
  std::size_t max_header_bytes = 8 * 1024;  // request line and all header fields together
  std::size_t max_body_bytes = 64 * 1024;
  // A client has this long to send a request's head, from connecting (the TLS handshake
  // included) or from its first byte on a keep-alive connection. Much shorter than
  // request_timeout: a client that connects and sends nothing, or trickles its head, holds a
  // connection only this long.
  std::chrono::milliseconds header_timeout{3'000};
  // Once the head is in: this long to send the body, and to take the response.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout{30'000};
  // At this many open connections, a new one closes the connection that has been idle (waiting
  // for a request head, or between requests) the longest; only when every connection is busy
  // with a request does the new one get 503 (and beyond twice this it is closed at once).
  std::size_t max_connections = 32;
  // The same per client address: one client cannot take every connection from the others.
  std::size_t max_connections_per_address = 16;
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
  // Plain HTTP on an address other than loopback sends tokens and passwords in clear: start()
  // refuses it unless this is set (and then logs a warning).
  bool allow_insecure_listen = false;
};

}  // namespace ps::admin
