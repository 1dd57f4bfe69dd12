// LDAP entry decoding: what connectors/ldap makes of a server's search responses. The fuzz bytes
// are the byte stream a server sends back (after a first byte of options); libldap reads them
// from a socketpair (ldap_init_fd, nothing on the network) and the real read_subtree turns them
// into DirectoryEntry values: DN, attributes lower-cased, anchor formatting (entryUUID or AD's
// objectGUID), ranged attributes ("member;range=0-1499"), the paging cookie and result codes.
// The stream ends after the input, so every further request the reader makes fails at once.
#include <ldap.h>
#include <openldap.h>  // ldap_init_fd
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "connectors/ldap/ldap_read.h"
#include "core/dn.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Larger inputs would not fit the socket buffer written before the reader starts.
  if (size == 0 || size > 64 * 1024) return 0;
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
  int opt = 256 * 1024;
  setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &opt, sizeof opt);
  setsockopt(fds[0], SOL_SOCKET, SO_RCVBUF, &opt, sizeof opt);
  std::size_t sent = 0;
  while (sent < size - 1) {
    auto n = write(fds[1], data + 1 + sent, size - 1 - sent);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fds[1], SHUT_WR);  // the "server" says no more after the input

  LDAP* ld = nullptr;
  if (ldap_init_fd(fds[0], LDAP_PROTO_TCP, "ldap://127.0.0.1:389", &ld) != LDAP_SUCCESS) {
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);

  ps::LdapSettings settings;
  settings.url = "ldap://127.0.0.1:389";
  settings.timeout_seconds = 2;
  settings.page_size = 100;
  if (data[0] & 1) {
    settings.flavor = ps::Flavor::ad;
    settings.anchor_attribute = "objectGUID";
  }
  ps::ReadSpec spec;
  spec.base_dn = "ou=portal,dc=example,dc=org";
  if (data[0] & 2) spec.attributes = {"objectClass", "uid", settings.anchor_attribute, "member"};

  auto read = ps::read_subtree(ld, spec, settings);
  if (read) {
    for (const auto& entry : read->entries) {
      (void)ps::normalize_dn(entry.dn());
      (void)entry.anchor();
      for (const char* name : {"objectclass", "uid", "member"})
        if (auto values = entry.find(name)) (void)values->strings();
    }
  }
  ldap_unbind_ext(ld, nullptr, nullptr);  // closes fds[0]
  close(fds[1]);
  return 0;
}
