// How to reach and read a directory server over LDAP. Holds the bind password: never log or print
// a whole LdapSettings.
#pragma once

#include <string>

#include "core/flavor.h"

namespace ps {

struct LdapSettings {
  enum class Tls {
    starttls,  // ldap:// upgraded with StartTLS before the bind (RFC 4513)
    ldaps,     // ldaps:// (TLS from the first byte)
    none,      // plain ldap://: tests and loopback only
  };

  std::string url;  // ldap://host:port or ldaps://host:port
  Tls tls = Tls::starttls;
  std::string ca_file;  // PEM trust anchor; empty: the system's (ldap.conf TLS_CACERT)
  std::string bind_dn;
  std::string bind_password;
  int page_size = 500;       // entries per page of a subtree read (RFC 2696); 0: unpaged
  int timeout_seconds = 30;  // connect, bind, and each wait for a server response
  std::string anchor_attribute = "entryUUID";  // objectGUID for Active Directory
  Flavor flavor = Flavor::openldap;  // how passwords and lockouts are written
};

}  // namespace ps
