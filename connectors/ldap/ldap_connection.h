// An open, bound LDAP session: libldap's handle with our options (LDAPv3, no referral chasing,
// timeouts, per-session TLS trust), upgraded with StartTLS when asked, bound with a simple bind.
// Unbinds on destruction. Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <ldap.h>

#include "connectors/ldap/ldap_settings.h"
#include "core/result.h"

namespace ps {

class LdapConnection {
 public:
  // Connects and binds. Errors read "cannot connect to <url>: <reason>", "directory <url>:
  // StartTLS failed: <reason>" or "directory <url>: bind as <dn> failed: <reason>" (the texts
  // docs/operations.md lists); they never contain the password.
  // bind_rc, when given, receives the bind's LDAP result code (LDAP_INVALID_CREDENTIALS, say), so
  // that a caller testing a bind can tell a refused bind from an unreachable server.
  static Result<LdapConnection> open(const LdapSettings& settings, int* bind_rc = nullptr);

  LdapConnection(LdapConnection&& other) noexcept;
  LdapConnection& operator=(LdapConnection&& other) noexcept;
  ~LdapConnection();

  LDAP* handle() const { return ld_; }

 private:
  explicit LdapConnection(LDAP* ld) : ld_(ld) {}
  LDAP* ld_ = nullptr;
};

}  // namespace ps
