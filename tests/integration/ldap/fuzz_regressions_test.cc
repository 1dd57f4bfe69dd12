// Server responses tests/fuzz/ldap_entry_fuzz found to misbehave, kept as regression tests. The
// "server" is a socketpair holding the response bytes (ldap_init_fd), so no slapd is needed.
#include <ldap.h>
#include <openldap.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "connectors/ldap/ldap_read.h"

using namespace ps;

namespace {

// read_subtree over a connection whose server sends `response` and then closes.
Result<DirectoryReadResult> read_from(const std::string& response) {
  int fds[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  REQUIRE(write(fds[1], response.data(), response.size()) == static_cast<ssize_t>(response.size()));
  shutdown(fds[1], SHUT_WR);
  LDAP* ld = nullptr;
  REQUIRE(ldap_init_fd(fds[0], LDAP_PROTO_TCP, "ldap://127.0.0.1:389", &ld) == LDAP_SUCCESS);
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  LdapSettings settings;
  settings.url = "ldap://127.0.0.1:389";
  settings.timeout_seconds = 5;
  auto read = read_subtree(ld, {"ou=portal,dc=example,dc=org", {}}, settings);
  ldap_unbind_ext(ld, nullptr, nullptr);
  close(fds[1]);
  return read;
}

}  // namespace

TEST_CASE("a paged-results control without a value fails the read instead of aborting",
          "[ldap][fuzz]") {
  // ldap_entry_fuzz: SearchResultDone (message 1, success) carrying the RFC 2696 control's OID and
  // no value; ldap_parse_pageresponse_control hit an assertion in ber_init and aborted the process.
  const std::string oid = "1.2.840.113556.1.4.319";
  std::string control = "\x30\x18\x04\x16" + oid;
  std::string done = std::string("\x02\x01\x01", 3) +
                     std::string("\x65\x07\x0a\x01\x00\x04\x00\x04\x00", 9) + "\xa0\x1a" + control;
  auto read = read_from("\x30\x28" + done);
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error(), Catch::Contains("paged-results control is malformed"));
}
