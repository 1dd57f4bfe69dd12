#include "tests/support/ad_checks.h"

#include "core/dn.h"
#include "tests/support/ldap_client.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

std::optional<LdifEntry> find_user(const SambaDc& dc, const std::string& base,
                                   const std::string& username) {
  auto found =
      dc.admin_client().search(base, "(sAMAccountName=" + username + ")", {"*", "objectGUID"});
  if (!found || found->empty()) return std::nullopt;
  return found->front();
}

bool can_bind(const SambaDc& dc, const std::string& principal, const std::string& password,
              const std::string& scratch_file) {
  write_file(scratch_file, password, 0600);
  LdapClient client({dc.url, principal, scratch_file, dc.ca_file});
  return client.search(dc.base_dn, "(objectClass=*)", {"1.1"}, "base").is_ok();
}

Result<std::set<std::string>> group_members(const SambaDc& dc, const std::string& group_dn) {
  auto group = dc.admin_client().read(group_dn, {"member"});
  if (!group) return Error{group.error()};
  std::set<std::string> members;
  if (const auto* values = group->find("member"))
    for (const auto& m : *values) members.insert(normalize_dn(m));
  return members;
}

DomainLockout::DomainLockout(const SambaDc& dc, int failures)
    : dc_(dc), active_(set_threshold(failures).is_ok()) {}

DomainLockout::~DomainLockout() { set_threshold(0); }

Status DomainLockout::set_threshold(int failures) const {
  return dc_.admin_client().modify("dn: " + dc_.base_dn +
                                   "\nchangetype: modify\nreplace: lockoutThreshold\n"
                                   "lockoutThreshold: " +
                                   std::to_string(failures) + "\n");
}

}  // namespace ps::testing
