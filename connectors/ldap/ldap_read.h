// Reading a whole managed subtree: a paged (RFC 2696) subtree search of the base, entries
// streamed into DirectoryEntry values as they arrive. Attribute names come back lower-cased,
// values as raw bytes, the anchor attribute in DirectoryEntry::anchor(). An attribute the server
// sends in ranges (AD's `member;range=0-1499`) is completed with base searches afterwards and
// presented whole, under its plain name.
#pragma once

#include <ldap.h>

#include "connectors/ldap/ldap_settings.h"
#include "core/directory.h"
#include "core/directory_connector.h"
#include "core/result.h"

namespace ps {

// Every entry strictly below spec.base_dn. No attributes in spec: all user attributes. A missing
// base gives base_exists = false and no error. Uses settings' page size, timeout and anchor.
// An attribute asked for with a range ("member;range=0-999") starts with that part and is
// completed like one the server chose to split (how tests make Samba, which never splits on its
// own, send ranges).
Result<DirectoryReadResult> read_subtree(LDAP* ld, const ReadSpec& spec,
                                         const LdapSettings& settings);

// The entries below spec.base_dn that match `filter` (RFC 4515), read the same way; `control`
// (not owned; may be null) goes with every page request.
Result<DirectoryReadResult> read_subtree_matching(LDAP* ld, const ReadSpec& spec,
                                                  const std::string& filter,
                                                  const LdapSettings& settings,
                                                  LDAPControl* control = nullptr);

// Active Directory's default MaxPageSize: Windows sends at most this many entries per page, and
// an unpaged search stops there with "size limit exceeded".
inline constexpr int kAdMaxPageSize = 1000;

// The page size a read asks for: settings.page_size (0: unpaged), but for the ad flavor never
// more than kAdMaxPageSize and never unpaged.
int effective_page_size(const LdapSettings& settings);

}  // namespace ps
