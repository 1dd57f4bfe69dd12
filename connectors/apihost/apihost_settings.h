// How the apihost connector reaches the API host. Holds the bearer token: never log or print a
// whole ApihostSettings.
#pragma once

#include <string>

namespace ps {

struct ApihostSettings {
  std::string url;           // https://host:port (a path prefix is allowed: https://h/ps)
  std::string ca_file;       // PEM CA that signed the API host's certificate
  std::string client_cert;   // PEM client certificate (mutual TLS)
  std::string client_key;    // PEM key of the client certificate
  std::string token;         // bearer token, read from directory.apihost.token_file
  int timeout_seconds = 30;  // connect, and each request's whole round trip
  int attempts = 5;          // tries per request when the connection fails (backoff between)
  int backoff_ms = 500;      // first wait; doubles up to 8 s
};

}  // namespace ps
