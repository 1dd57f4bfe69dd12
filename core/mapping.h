// How portal rows become directory entries (docs/directory-mapping.md). Pure functions: the same
// row always maps to the same RDN and attributes, so the planner can diff against what it reads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.h"
#include "core/flavor.h"
#include "core/model.h"
#include "core/posix.h"

namespace ps {

struct MappingOptions {
  Flavor flavor = Flavor::openldap;
  std::string base_dn;
  std::string national_id_attribute;  // empty: national IDs never reach the directory
  // directory.person_key: the attribute that receives a keyed digest of each account's national
  // ID, and what computes it from person_key_input (HMAC-SHA256, lowercase hex:
  // daemon/wiring/person_key.cc). Empty attribute: off.
  std::string person_key_attribute;
  std::function<std::string(std::string_view)> person_key;
  std::string groups_dn;  // entitlement groups live here (inside base_dn); empty: no groups
  // directory.agency_groups: the name template ({code}) of a group per agency
  // (core/agency_groups.h) kept under groups_dn; empty: none.
  std::string agency_groups;
  bool disabled_leave_groups = true;  // only enabled accounts are members
  std::string upn_suffix;             // ad flavor: userPrincipalName is <username>@<upn_suffix>
  // openldap flavor: the password-policy entry (pwdLockout: TRUE) a locked entry names in
  // pwdPolicySubentry, without which slapd's ppolicy ignores pwdAccountLockedTime. Empty: locked
  // entries carry only pwdAccountLockedTime (a default policy with pwdLockout must then apply).
  std::string lock_policy_dn;
  PosixOptions posix;  // directory.posix: POSIX identities for Linux hosts
};

// The lock policy's DN when none is configured: cn=portalsync-lock directly below base_dn.
std::string default_lock_policy_dn(std::string_view base_dn);

// The DNS domain named by a DN's DC components ("ou=x,dc=portal,dc=test" -> "portal.test"); the
// default UPN suffix.
std::string dns_domain_of(std::string_view dn);

// The value ppolicy treats as "locked until an administrator unlocks": pending and disabled
// accounts carry it so they cannot bind.
inline constexpr std::string_view kPermanentLock = "000001010000Z";

struct DesiredAttribute {
  std::string name;  // as sent, e.g. "displayName"
  std::vector<std::string> values;
};

// The RDN attribute type of a unit / an account (ou; uid for openldap, cn for AD: the RDN value
// is the username in both, so two people with the same name never clash).
std::string_view unit_rdn_type(const MappingOptions& m);
std::string_view account_rdn_type(const MappingOptions& m);
// The attribute that holds the username and finds an existing entry to adopt.
std::string_view account_key_attribute(const MappingOptions& m);
// The object classes that identify a user entry / a group entry when reading.
std::string_view account_object_class(const MappingOptions& m);
std::string_view group_object_class(const MappingOptions& m);
// The attribute that carries the bind state of a user entry.
std::string_view bind_state_attribute(const MappingOptions& m);

// Where an account sits, as the mapping needs it: its unit and its agency (core/agency.h: the
// nearest unit marked as one, else the top of its tree), written to AD's company; with
// agencies_marked, to openldap's o as well (without, o is left as it is: an upgrade changes
// nothing by itself).
struct AccountPlace {
  const OrgUnit& unit;
  const OrgUnit& agency;
  bool agencies_marked = false;
};

// The openldap attribute that carries the account's agency once units are marked as agencies.
inline constexpr std::string_view kAgencyAttribute = "o";

// Attributes portalsync owns on each kind of entry (objectClass excluded: it is only set on add).
std::vector<DesiredAttribute> unit_attributes(const MappingOptions& m, const OrgUnit& u);
std::vector<DesiredAttribute> account_attributes(const MappingOptions& m, const Account& a,
                                                 const AccountPlace& place);
// A shared agency/mail account: a user marked by employeeType, with its custodian's DN in
// manager (empty when the custodian is not in the directory).
std::vector<DesiredAttribute> shared_account_attributes(const MappingOptions& m,
                                                        const SharedAccount& s,
                                                        const AccountPlace& place,
                                                        const std::string& custodian_dn);
std::vector<std::string> unit_object_classes(const MappingOptions& m);
std::vector<std::string> account_object_classes(const MappingOptions& m);

// The bind state written when an account entry is added: locked (openldap: the lock and the lock
// policy) or disabled (AD, where a new user is always created disabled and enabled by a second
// operation). Attributes without values are left out of the add.
std::vector<DesiredAttribute> initial_bind_state(const MappingOptions& m, bool may_bind);

// AD's userAccountControl: a normal account, and the bit that disables it.
inline constexpr long kAdNormalAccount = 0x200;
inline constexpr long kAdAccountDisable = 0x2;

// A phone number as the directory's telephone syntax (PrintableString, RFC 4517) takes it: the
// extension mark "#" common in the portal becomes " ext. ". Empty when other characters remain
// that the syntax refuses (the planner then leaves the attribute out and warns).
std::string directory_phone(std::string_view value);

// Entitlement groups: one per `systems` row, named by its group_name.
std::string group_rdn(const System& s);
std::vector<DesiredAttribute> group_attributes(const MappingOptions& m,
                                               const System& s);  // cn, description (+AD name)
std::vector<std::string> group_object_classes(const MappingOptions& m);
// The DN of a system's group (in groups_dn). A groupOfNames must have a member: an empty one
// holds its own DN, which SSSD, nslcd and Apache all accept (SSSD fails the whole lookup on a
// member that is neither a user nor a group, such as the OU portalsync used before).
std::string group_dn(const MappingOptions& m, const System& s);
inline constexpr std::string_view kMemberAttribute = "member";

// Whether an attribute holds DNs (DN syntax, RFC 4517 3.3.9): its values must be compared as
// parsed, normalized DNs, never as strings, since servers re-escape them (AD returns our "\;"
// as "\3B", slapd a leading "#" as "\23"). Covers every DN-valued attribute the mappings
// write (manager, member) and the other standard ones a mapping might add.
bool is_dn_syntax_attribute(std::string_view name);

// Whether the portal row says the account may bind (enabled and not locked).
bool account_may_bind(const Account& a);

// The marker a shared account carries in employeeType ("shared-agency", "shared-mail").
std::string shared_account_marker(const SharedAccount& s);

// The problem AD has with a username as sAMAccountName, or "" (at most 20 characters, none of
// "/\[]:;|=,+*?<>@, not only dots and spaces, not ending in a dot).
std::string ad_username_problem(std::string_view username);

// The national ID as the person key digests it: without surrounding spaces, ASCII letters in
// upper case (d123456789 and D123456789 are one person). "" when there is none.
std::string person_key_input(std::string_view national_id);
// POSIX identities (m.posix.enabled): a user's uidNumber, gidNumber (the primary group), home
// directory (homeDirectory; unixHomeDirectory in AD) and loginShell; a group's gidNumber.
std::vector<DesiredAttribute> posix_user_attributes(const MappingOptions& m,
                                                    std::string_view username,
                                                    std::int64_t uid_number);
std::vector<DesiredAttribute> posix_group_attributes(std::int64_t gid_number);
// The object class that lets an entry carry them, added to entries that lack it: posixAccount on
// users, extensibleObject on groupOfNames (Debian's nis.schema makes posixGroup structural). ""
// when none is needed (AD's user and group take the RFC 2307 attributes as they are).
std::string_view posix_user_class(const MappingOptions& m);
std::string_view posix_group_class(const MappingOptions& m);
inline constexpr std::string_view kUidNumberAttribute = "uidNumber";
inline constexpr std::string_view kGidNumberAttribute = "gidNumber";

// Every attribute type the planner needs to read back.
std::vector<std::string> managed_read_attributes(const MappingOptions& m);

// The attribute that marks an OU as a portal unit and carries its code.
inline constexpr std::string_view kUnitCodeAttribute = "businessCategory";
// The attribute that carries the bind lock on accounts (openldap flavor).
inline constexpr std::string_view kLockAttribute = "pwdAccountLockedTime";
// The attribute that names the password policy applying to an entry (openldap flavor): a locked
// entry names lock_policy_dn, unless an administrator gave it a policy of their own.
inline constexpr std::string_view kPolicySubentryAttribute = "pwdPolicySubentry";

}  // namespace ps
