// The LDAP connector's settings from a loaded directory section: one mapping for portalsyncd and
// the API host. Inline so the API host uses it without linking the rest of the wiring (the store).
#pragma once

#include "config/config.h"
#include "connectors/ldap/ldap_settings.h"

namespace ps {

inline LdapSettings ldap_settings(const DirectoryConfig& d) {
  LdapSettings s;
  s.url = d.url;
  s.tls = d.tls == TlsMode::starttls ? LdapSettings::Tls::starttls
          : d.tls == TlsMode::ldaps  ? LdapSettings::Tls::ldaps
                                     : LdapSettings::Tls::none;
  s.ca_file = d.ca_file;
  s.bind_dn = d.bind_dn;
  s.bind_password = d.bind_password;
  s.page_size = d.page_size;
  s.timeout_seconds = d.timeout_seconds;
  if (d.flavor == "ad") {
    s.flavor = Flavor::ad;
    s.anchor_attribute = "objectGUID";
  }
  return s;
}

}  // namespace ps
