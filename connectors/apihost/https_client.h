// A small synchronous HTTPS/1.1 client for the API host: mutual TLS (the client certificate), the
// server checked against its CA and its name or IP address, a bearer token, one keep-alive
// connection reused between requests. Connection errors (connect, TLS, a dropped connection, a
// timeout, 502/503/504) are retried with exponential backoff; any other answer is returned as is,
// since resending a request the server already judged would not change its verdict.
#pragma once

#include <memory>
#include <string>

#include "connectors/apihost/apihost_settings.h"
#include "core/result.h"

namespace ps::apihost {

struct HttpReply {
  int status = 0;
  std::string body;
};

class HttpsClient {
 public:
  // Checks the URL and loads the CA and the client certificate; fails naming the file.
  static Result<std::unique_ptr<HttpsClient>> create(const ApihostSettings& settings);
  ~HttpsClient();

  Result<HttpReply> get(const std::string& path);
  Result<HttpReply> post(const std::string& path, const std::string& json_body);

  const std::string& url() const { return url_; }

 private:
  struct Impl;
  explicit HttpsClient(std::unique_ptr<Impl> impl, std::string url);
  Result<HttpReply> request(const std::string& method, const std::string& path,
                            const std::string& body);

  std::unique_ptr<Impl> impl_;
  std::string url_;
};

}  // namespace ps::apihost
