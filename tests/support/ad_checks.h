// What the AD end-to-end suites (ad_cli through LDAP, apihost through the API host) check on the
// Samba DC, with the real tools: a user's entry, a bind as the user, a group's members, and a
// domain lockout policy for one test.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/result.h"
#include "tests/support/ldif.h"
#include "tests/support/samba_server.h"

namespace ps::testing {

// A password both portalsync's policy and AD's accept.
inline const std::string kStrongPassword = "Tn-民政-Kq7v#2026";

// The user with this sAMAccountName below base (with its objectGUID), or nothing.
std::optional<LdifEntry> find_user(const SambaDc& dc, const std::string& base,
                                   const std::string& username);

// Binds over ldaps as `principal` (a UPN) with `password`, as another system would. The password
// goes through `scratch_file` (mode 600), never a command line.
bool can_bind(const SambaDc& dc, const std::string& principal, const std::string& password,
              const std::string& scratch_file);

// The group's member DNs, normalized (core/dn.h).
Result<std::set<std::string>> group_members(const SambaDc& dc, const std::string& group_dn);

// The domain locks an account after `failures` bad passwords while this lives; back to 0 (never)
// after, since the DC is shared with the other tests.
class DomainLockout {
 public:
  DomainLockout(const SambaDc& dc, int failures);
  ~DomainLockout();
  DomainLockout(const DomainLockout&) = delete;
  DomainLockout& operator=(const DomainLockout&) = delete;
  bool active() const { return active_; }

 private:
  Status set_threshold(int failures) const;
  const SambaDc& dc_;
  bool active_;
};

}  // namespace ps::testing
