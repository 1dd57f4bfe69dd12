// The RFC 4527 post-read control: sent with an add, it makes the server return the new entry's
// anchor (entryUUID) in the add response, so no extra search is needed. Sent non-critical:
// servers without it (Active Directory) just ignore it, and the writer looks the anchor up with a
// search instead (ldap_write.h).
#pragma once

#include <ldap.h>

#include <string>
#include <string_view>

namespace ps {

// A request control for one attribute; free with ldap_control_free. nullptr if encoding failed.
LDAPControl* make_post_read_control(const std::string& attribute);

// The attribute's first value in a post-read response among the result controls, formatted as an
// anchor; "" when the server sent none.
std::string find_post_read_anchor(LDAPControl** controls, std::string_view attribute);

}  // namespace ps
