// What the server says of itself in its root DSE (RFC 4512 section 5.1).
#pragma once

#include <ldap.h>

#include "connectors/ldap/ldap_settings.h"

namespace ps {

// Whether the root DSE lists `oid` in supportedControl. A server that does not answer the
// question is taken not to support it.
bool server_supports_control(LDAP* ld, const char* oid, const LdapSettings& settings);

}  // namespace ps
