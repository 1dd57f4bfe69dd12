// Reading the managed subtree with the simple paged results control (RFC 2696).
#pragma once

#include "connectors/ldap/ldap_connection.h"
#include "core/directory_connector.h"

namespace ps {

Result<DirectoryReadResult> read_subtree_paged(LdapConnection& conn, const ReadSpec& spec);

}  // namespace ps
