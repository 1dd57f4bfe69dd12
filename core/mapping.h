// How portal rows become directory entries (docs/directory-mapping.md). Pure functions: the same
// row always maps to the same RDN and attributes, so the planner can diff against what it reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/directory.h"
#include "core/flavor.h"
#include "core/model.h"

namespace ps {

struct MappingOptions {
  Flavor flavor = Flavor::openldap;
  std::string base_dn;
  std::string national_id_attribute;  // empty: national IDs never reach the directory
  std::string groups_dn;  // entitlement groups live here (inside base_dn); empty: no groups
  bool disabled_leave_groups = true;  // only enabled accounts are members
};

// The value ppolicy treats as "locked until an administrator unlocks": pending and disabled
// accounts carry it so they cannot bind.
inline constexpr std::string_view kPermanentLock = "000001010000Z";

struct DesiredAttribute {
  std::string name;  // as sent, e.g. "displayName"
  std::vector<std::string> values;
};

// The RDN attribute type and value of a unit / an account.
std::string_view unit_rdn_type(const MappingOptions& m);
std::string_view account_rdn_type(const MappingOptions& m);
std::string unit_rdn(const MappingOptions& m, const OrgUnit& u);
std::string account_rdn(const MappingOptions& m, const Account& a);

// Attributes portalsync owns on each kind of entry (objectClass excluded: it is only set on add).
std::vector<DesiredAttribute> unit_attributes(const MappingOptions& m, const OrgUnit& u);
std::vector<DesiredAttribute> account_attributes(const MappingOptions& m, const Account& a,
                                                 const OrgUnit& unit);
std::vector<std::string> unit_object_classes(const MappingOptions& m);
std::vector<std::string> account_object_classes(const MappingOptions& m);

// A phone number as the directory's telephone syntax (PrintableString, RFC 4517) takes it: the
// extension mark "#" common in the portal becomes " ext. ". Empty when other characters remain
// that the syntax refuses (the planner then leaves the attribute out and warns).
std::string directory_phone(std::string_view value);

// Entitlement groups: one per `systems` row, named by its group_name.
std::string group_rdn(const System& s);
std::vector<DesiredAttribute> group_attributes(const System& s);  // cn, description
std::vector<std::string> group_object_classes(const MappingOptions& m);
inline constexpr std::string_view kMemberAttribute = "member";

// Whether the portal row says the account may bind (enabled and not locked).
bool account_may_bind(const Account& a);

// Every attribute type the planner needs to read back.
std::vector<std::string> managed_read_attributes(const MappingOptions& m);

// The attribute that marks an OU as a portal unit and carries its code.
inline constexpr std::string_view kUnitCodeAttribute = "businessCategory";
// The attribute that carries the bind lock on accounts (openldap flavor).
inline constexpr std::string_view kLockAttribute = "pwdAccountLockedTime";

}  // namespace ps
