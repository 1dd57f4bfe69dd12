// Shared by the Active Directory tests: the shared Samba DC, AD-shaped entries, and what a real
// client (ldapsearch) sees of them. Builds on the LDAP connector tests' helpers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "connectors/ldap/ldap_anchor.h"
#include "tests/integration/ldap/ldap_test_helpers.h"
#include "tests/support/samba_server.h"

namespace ad_test {

using namespace ldap_test;
using ps::testing::SambaDc;
using ps::testing::shared_samba;

// userAccountControl: a normal account (512) that is disabled (2): how new accounts start.
inline const std::string kDisabledAccount = "514";

inline Operation add_user(const std::string& parent, const std::string& cn,
                          const std::string& sam_account_name) {
  return add(ps::join_dn(ps::make_rdn("CN", cn), parent),
             {value("objectClass", {"top", "person", "organizationalPerson", "user"}),
              value("cn", {cn}), value("sAMAccountName", {sam_account_name}),
              value("userAccountControl", {kDisabledAccount})});
}

inline Operation add_ad_ou(const std::string& parent, const std::string& name) {
  return add(ps::join_dn(ps::make_rdn("OU", name), parent),
             {value("objectClass", {"organizationalUnit"}), value("ou", {name})});
}

inline Operation rename_entry(const std::string& dn, const std::string& new_rdn,
                              const std::string& new_superior = "") {
  Operation op;
  op.type = new_superior.empty() ? OpType::rename : OpType::move;
  op.dn = dn;
  op.set_target({new_rdn, new_superior, ""});
  return op;
}

// The entry's objectGUID as ldapsearch reads it, in the connector's anchor form; "" when the
// entry does not exist.
inline std::string guid_seen_by_client(const SambaDc& dc, const std::string& dn) {
  auto found = dc.admin_client().read(dn, {"objectGUID"});
  if (!found) return "";
  return ps::format_anchor("objectGUID", found->first("objectGUID"));
}

// objectGUID of every entry below base as ldapsearch reads it, by normalized DN.
inline std::map<std::string, std::string> guids_seen_by_client(const SambaDc& dc,
                                                               const std::string& base) {
  auto found = dc.admin_client().search(base, "(objectClass=*)", {"objectGUID"}, "one");
  REQUIRE_OK(found);
  std::map<std::string, std::string> guids;
  for (const auto& e : found.value())
    guids[ps::normalize_dn(e.dn)] = ps::format_anchor("objectGUID", e.first("objectGUID"));
  return guids;
}

}  // namespace ad_test
