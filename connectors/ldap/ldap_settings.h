// How to reach and authenticate to an LDAP server. Built from the configuration by daemon/wiring.
#pragma once

#include <string>

namespace ps {

struct LdapSettings {
  enum class Tls { starttls, ldaps, none };
  std::string url;
  Tls tls = Tls::starttls;
  std::string ca_file;  // empty: the system's trust store
  std::string bind_dn;
  std::string bind_password;  // never logged, never in an error message
  int page_size = 500;
  int timeout_seconds = 30;
  std::string anchor_attribute = "entryUUID";
};

}  // namespace ps
