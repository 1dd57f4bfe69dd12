// A server that answers a subtree search with an entry libldap cannot decode (a broken or hostile
// directory, or a proxy in between). Regression (issue 15): the reader skipped such an entry
// silently, so the directory looked as if it did not hold it and the plan would add it again. The
// read must fail instead, saying why. The server is a few lines of raw BER on a loopback socket:
// no real server sends these bytes, which is the point.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "connectors/ldap/ldap_read.h"

namespace {

// Answers the first request on one connection with `entry` (the protocolOp bytes of a search
// result entry) and a successful search result done, both under the request's message id.
class OneAnswerServer {
 public:
  explicit OneAnswerServer(std::string entry) : entry_(std::move(entry)) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(listen(listener_, 1) == 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneAnswerServer() {
    shutdown(listener_, SHUT_RDWR);
    thread_.join();
    close(listener_);
  }
  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    int c = accept(listener_, nullptr, nullptr);
    if (c < 0) return;
    std::string request;
    char buf[4096];
    // The message id is the INTEGER after the outer SEQUENCE header: 30 LEN 02 01 ID.
    while (request.size() < 2 || request.size() < header_size(request) + 3) {
      auto n = read(c, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
    }
    if (request.size() >= header_size(request) + 3) {
      char id = request[header_size(request) + 2];
      auto message = [&](const std::string& op) {
        std::string body = std::string("\x02\x01", 2) + id + op;
        return std::string(1, '\x30') + static_cast<char>(body.size()) + body;
      };
      std::string done("\x65\x07\x0a\x01\x00\x04\x00\x04\x00", 9);
      auto reply = message(entry_) + message(done);
      [[maybe_unused]] auto written = write(c, reply.data(), reply.size());
      while (read(c, buf, sizeof buf) > 0) {
      }  // until the client closes
    }
    close(c);
  }
  static std::size_t header_size(const std::string& pdu) {
    auto length = static_cast<unsigned char>(pdu[1]);
    return length < 0x80 ? 2 : 2 + (length & 0x7f);
  }

  std::string entry_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

ps::Result<ps::DirectoryReadResult> read_from(const OneAnswerServer& server) {
  LDAP* ld = nullptr;
  REQUIRE(ldap_initialize(&ld, server.url().c_str()) == LDAP_SUCCESS);
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ps::LdapSettings settings;
  settings.url = server.url();
  settings.timeout_seconds = 5;
  settings.page_size = 0;
  auto read = ps::read_subtree(ld, {"o=x", {}}, settings);
  ldap_unbind_ext_s(ld, nullptr, nullptr);
  return read;
}

}  // namespace

TEST_CASE("an entry whose DN cannot be decoded fails the read, it is never left out",
          "[ldap][read][hostile]") {
  // [APPLICATION 4] { objectName "o=x" } and nothing else: no attribute list to decode.
  OneAnswerServer server(std::string("\x64\x05\x04\x03o=x", 7));
  auto read = read_from(server);
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error(), Catch::Contains("cannot decode the DN of entry 1 of the search result"));
  CHECK_THAT(read.error(), Catch::Contains("nothing is planned from it"));
}

TEST_CASE("an entry whose attributes cannot be decoded fails the read, naming its DN",
          "[ldap][read][hostile]") {
  // { "cn=a,o=x", { { type "cn" } } }: the attribute has no value set.
  OneAnswerServer server(
      std::string("\x64\x12\x04\x08"
                  "cn=a,o=x"
                  "\x30\x06\x30\x04\x04\x02"
                  "cn",
                  20));
  auto read = read_from(server);
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error(), Catch::Contains("cannot decode the attributes of cn=a,o=x"));
}
