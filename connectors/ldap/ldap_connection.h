// An open, bound libldap handle (RAII). Connect, TLS and bind failures are values naming the
// server and the reason.
#pragma once

#include <ldap.h>

#include <memory>
#include <string>

#include "connectors/ldap/ldap_settings.h"
#include "core/result.h"

namespace ps {

class LdapConnection {
 public:
  static Result<std::unique_ptr<LdapConnection>> open(const LdapSettings& settings);
  ~LdapConnection();
  LdapConnection(const LdapConnection&) = delete;
  LdapConnection& operator=(const LdapConnection&) = delete;

  LDAP* handle() const { return ld_; }
  const LdapSettings& settings() const { return settings_; }

  // "<reason>: <server diagnostic>" for the handle's last error.
  std::string last_error() const;

 private:
  LdapConnection(LDAP* ld, LdapSettings settings) : ld_(ld), settings_(std::move(settings)) {}
  LDAP* ld_;
  LdapSettings settings_;
};

// ldap_err2string(rc) plus the diagnostic, when there is one.
std::string ldap_error_text(int rc, const char* diagnostic);

}  // namespace ps
