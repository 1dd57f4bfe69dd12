// Setting a password and clearing a lockout, the way each flavor wants it (docs/operations.md,
// "Passwords"):
//   openldap: the RFC 3062 password-modify extended operation (slapd hashes the password);
//             must_change sets ppolicy's pwdReset; unlock removes pwdAccountLockedTime.
//   ad:       a modify replacing unicodePwd with the quoted password in UTF-16LE (AD takes
//             passwords only over an encrypted connection); must_change sets pwdLastSet to 0;
//             unlock sets lockoutTime to 0.
// A password is sent only when the live session is TLS-protected. Messages name the DN and the
// server's reason, never the password; the copies made here are wiped after use.
#pragma once

#include <ldap.h>

#include <string>
#include <string_view>

#include "connectors/ldap/ldap_settings.h"
#include "core/result.h"

namespace ps {

// Errors read "set password <dn>: <reason>".
Status set_ldap_password(LDAP* ld, const LdapSettings& settings, const std::string& dn,
                         std::string_view password, bool must_change);

// Errors read "unlock <dn>: <reason>". On OpenLDAP an entry that is not locked is left alone
// (ok), and portalsync's own permanent lock (a disabled or pending account) is refused.
Status unlock_ldap_account(LDAP* ld, const LdapSettings& settings, const std::string& dn);

// The value AD's unicodePwd takes: the password in double quotes, as UTF-16LE. Empty when the
// password is not valid UTF-8. The caller wipes it.
std::string ad_unicode_password(std::string_view password);

}  // namespace ps
