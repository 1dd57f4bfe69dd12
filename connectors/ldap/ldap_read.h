// Reading a whole managed subtree: a paged (RFC 2696) subtree search of the base, entries
// streamed into DirectoryEntry values as they arrive. Attribute names come back lower-cased,
// values as raw bytes, the anchor attribute in DirectoryEntry::anchor.
#pragma once

#include <ldap.h>

#include "connectors/ldap/ldap_settings.h"
#include "core/directory.h"
#include "core/directory_connector.h"
#include "core/result.h"

namespace ps {

// Every entry strictly below spec.base_dn. No attributes in spec: all user attributes. A missing
// base gives base_exists = false and no error. Uses settings' page size, timeout and anchor.
Result<DirectoryReadResult> read_subtree(LDAP* ld, const ReadSpec& spec,
                                         const LdapSettings& settings);

}  // namespace ps
