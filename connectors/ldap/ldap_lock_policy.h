// The openldap flavor's lock policy (docs/directory-mapping.md, "Enabled, pending and disabled
// accounts"): slapd's ppolicy enforces pwdAccountLockedTime only under a password policy with
// pwdLockout: TRUE, and with no default policy (the stock configuration) nothing applies to an
// entry unless it names one in pwdPolicySubentry. portalsync keeps such a policy entry of its own
// and proves, with a bind, that a locked entry cannot sign in.
#pragma once

#include <ldap.h>

#include <string>
#include <vector>

#include "connectors/ldap/ldap_settings.h"
#include "core/directory_connector.h"

namespace ps {

// The password policy control (draft-behera-ldap-password-policy) the ppolicy overlay announces.
inline constexpr const char* kPasswordPolicyControl = "1.3.6.1.4.1.42.2.27.8.5.1";

// DirectoryConnector::prepare_lock_policy over libldap. The policy entry is an organizationalRole
// with the auxiliary classes pwdPolicy (pwdAttribute: userPassword, pwdLockout: TRUE) and
// simpleSecurityObject, and is itself locked under itself: it is the entry the proof binds as,
// with a fresh random password set just before (never kept, and useless: the entry is locked).
// The bind is made whenever the policy was created or repaired; a policy found as it should be
// is trusted (so runs do not rewrite it), the control announced by the root DSE checked each time.
Result<LockPolicyReport> prepare_ldap_lock_policy(LDAP* ld, const LdapSettings& settings,
                                                  const LockPolicySpec& spec);

}  // namespace ps
