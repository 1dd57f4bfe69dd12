#include "core/mapping.h"

#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

void add_if_set(std::vector<DesiredAttribute>& out, std::string name, std::string_view value) {
  if (value.empty())
    out.push_back({std::move(name), {}});
  else
    out.push_back({std::move(name), {std::string(value)}});
}

bool printable_string_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("'()+,-./:? =").find(c) != std::string_view::npos;
}

bool is_ad(const MappingOptions& m) { return m.flavor == Flavor::ad; }

// AD's sAMAccountName is limited to 20 characters (the pre-Windows 2000 logon name).
constexpr std::size_t kAdMaxUsername = 20;

// The attributes every user entry of ours has, person or shared account, in either flavor.
void add_user_naming(std::vector<DesiredAttribute>& out, const MappingOptions& m,
                     std::string_view username) {
  std::string name(username);
  if (is_ad(m)) {
    out.push_back({"cn", {name}});
    out.push_back({"sAMAccountName", {name}});
    out.push_back({"userPrincipalName", {name + "@" + m.upn_suffix}});
  } else {
    out.push_back({"uid", {name}});
  }
}

void add_user_place(std::vector<DesiredAttribute>& out, const MappingOptions& m,
                    const AccountPlace& place) {
  out.push_back({"departmentNumber", {place.unit.code}});
  if (is_ad(m)) {
    out.push_back({"department", {place.unit.name}});
    out.push_back({"company", {place.agency.name}});
  } else if (place.agencies_marked) {
    out.push_back({std::string(kAgencyAttribute), {place.agency.name}});
  }
}

}  // namespace

std::string dns_domain_of(std::string_view dn) {
  auto parsed = parse_dn(dn);
  std::string out;
  if (!parsed) return out;
  for (const auto& rdn : parsed->rdns)
    for (const auto& ava : rdn.avas)
      if (iequals(ava.type, "dc")) out += (out.empty() ? "" : ".") + to_lower_ascii(ava.value);
  return out;
}

std::string directory_phone(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '#')
      out += " ext. ";
    else if (printable_string_char(c))
      out += c;
    else
      return "";
  }
  return out;
}

std::string_view unit_rdn_type(const MappingOptions&) { return "ou"; }
std::string_view account_rdn_type(const MappingOptions& m) { return is_ad(m) ? "cn" : "uid"; }
std::string_view account_key_attribute(const MappingOptions& m) {
  return is_ad(m) ? "sAMAccountName" : "uid";
}
std::string_view account_object_class(const MappingOptions& m) {
  return is_ad(m) ? "user" : "inetOrgPerson";
}
std::string_view group_object_class(const MappingOptions& m) {
  return is_ad(m) ? "group" : "groupOfNames";
}
std::string_view bind_state_attribute(const MappingOptions& m) {
  return is_ad(m) ? "userAccountControl" : kLockAttribute;
}

std::string unit_rdn(const MappingOptions& m, const OrgUnit& u) {
  return make_rdn(unit_rdn_type(m), u.name);
}

std::string account_rdn(const MappingOptions& m, const Account& a) {
  return make_rdn(account_rdn_type(m), a.username());
}

std::vector<DesiredAttribute> unit_attributes(const MappingOptions&, const OrgUnit& u) {
  return {{"ou", {u.name}}, {std::string(kUnitCodeAttribute), {u.code}}};
}

// inetOrgPerson requires cn and sn: an account without a surname uses its display name as sn.
// In AD cn is the RDN (the username) and sn is optional.
std::vector<DesiredAttribute> account_attributes(const MappingOptions& m, const Account& a,
                                                 const AccountPlace& place) {
  std::vector<DesiredAttribute> out;
  out.reserve(16);
  add_user_naming(out, m, a.username());
  if (is_ad(m)) {
    add_if_set(out, "sn", a.surname());
  } else {
    add_if_set(out, "cn", a.display_name());
    add_if_set(out, "sn", a.surname().empty() ? a.display_name() : a.surname());
  }
  add_if_set(out, "givenName", a.given_name());
  add_if_set(out, "displayName", a.display_name());
  add_if_set(out, "title", a.title());
  add_if_set(out, "mail", a.email());
  add_if_set(out, "telephoneNumber", directory_phone(a.office_phone()));
  add_if_set(out, "mobile", directory_phone(a.mobile()));
  add_user_place(out, m, place);
  if (!m.national_id_attribute.empty()) add_if_set(out, m.national_id_attribute, a.national_id());
  if (!m.person_key_attribute.empty() && m.person_key) {
    auto id = person_key_input(a.national_id());
    add_if_set(out, m.person_key_attribute, id.empty() ? std::string() : m.person_key(id));
  }
  return out;
}

std::string person_key_input(std::string_view national_id) {
  auto first = national_id.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  auto last = national_id.find_last_not_of(" \t");
  std::string out(national_id.substr(first, last - first + 1));
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::vector<DesiredAttribute> shared_account_attributes(const MappingOptions& m,
                                                        const SharedAccount& s,
                                                        const AccountPlace& place,
                                                        const std::string& custodian_dn) {
  std::vector<DesiredAttribute> out;
  add_user_naming(out, m, s.username);
  if (!is_ad(m)) {
    out.push_back({"cn", {s.display_name}});
    out.push_back({"sn", {s.display_name}});
  }
  out.push_back({"displayName", {s.display_name}});
  out.push_back({"employeeType", {shared_account_marker(s)}});
  add_if_set(out, "manager", custodian_dn);
  add_user_place(out, m, place);
  return out;
}

std::vector<std::string> unit_object_classes(const MappingOptions&) {
  return {"top", "organizationalUnit"};
}

std::vector<std::string> account_object_classes(const MappingOptions& m) {
  if (is_ad(m)) return {"top", "person", "organizationalPerson", "user"};
  std::vector<std::string> out = {"top", "person", "organizationalPerson", "inetOrgPerson"};
  if (m.posix.enabled) out.emplace_back(posix_user_class(m));
  return out;
}

std::vector<DesiredAttribute> initial_bind_state(const MappingOptions& m, bool may_bind) {
  if (is_ad(m))
    return {{"userAccountControl", {std::to_string(kAdNormalAccount | kAdAccountDisable)}}};
  if (may_bind) return {};
  std::vector<DesiredAttribute> out = {
      {std::string(kLockAttribute), {std::string(kPermanentLock)}}};
  if (!m.lock_policy_dn.empty())
    out.push_back({std::string(kPolicySubentryAttribute), {m.lock_policy_dn}});
  return out;
}

std::string default_lock_policy_dn(std::string_view base_dn) {
  return "cn=portalsync-lock," + std::string(base_dn);
}

std::string group_rdn(const System& s) { return make_rdn("cn", s.group_name); }

std::string group_dn(const MappingOptions& m, const System& s) {
  return join_dn(group_rdn(s), m.groups_dn);
}

std::vector<DesiredAttribute> group_attributes(const MappingOptions& m, const System& s) {
  std::vector<DesiredAttribute> out = {{"cn", {s.group_name}}, {"description", {s.name}}};
  if (is_ad(m)) out.push_back({"sAMAccountName", {s.group_name}});
  return out;
}

std::vector<std::string> group_object_classes(const MappingOptions& m) {
  if (is_ad(m)) return {"top", "group"};
  std::vector<std::string> out = {"top", "groupOfNames"};
  if (m.posix.enabled) out.emplace_back(posix_group_class(m));
  return out;
}

std::vector<DesiredAttribute> posix_user_attributes(const MappingOptions& m,
                                                    std::string_view username,
                                                    std::int64_t uid_number) {
  return {
      {std::string(kUidNumberAttribute), {std::to_string(uid_number)}},
      {std::string(kGidNumberAttribute), {std::to_string(m.posix.primary_gid)}},
      {is_ad(m) ? "unixHomeDirectory" : "homeDirectory", {posix_home_directory(m.posix, username)}},
      {"loginShell", {m.posix.login_shell}}};
}

std::vector<DesiredAttribute> posix_group_attributes(std::int64_t gid_number) {
  return {{std::string(kGidNumberAttribute), {std::to_string(gid_number)}}};
}

std::string_view posix_user_class(const MappingOptions& m) {
  return is_ad(m) ? "" : "posixAccount";
}
std::string_view posix_group_class(const MappingOptions& m) {
  return is_ad(m) ? "" : "extensibleObject";
}

bool is_dn_syntax_attribute(std::string_view name) {
  for (std::string_view dn_valued :
       {kMemberAttribute, std::string_view("manager"), std::string_view("secretary"),
        std::string_view("seeAlso"), std::string_view("owner"), std::string_view("roleOccupant"),
        std::string_view("managedBy")})
    if (iequals(name, dn_valued)) return true;
  return false;
}

bool account_may_bind(const Account& a) { return a.status() == "enabled" && !a.locked; }

std::string shared_account_marker(const SharedAccount& s) { return "shared-" + s.kind; }

std::string ad_username_problem(std::string_view username) {
  if (utf8_length(username) > kAdMaxUsername)
    return "username is longer than the " + std::to_string(kAdMaxUsername) +
           " characters AD allows in sAMAccountName";
  if (username.find_first_of("\"/\\[]:;|=,+*?<>@") != std::string_view::npos)
    return "username contains a character AD refuses in sAMAccountName (one of \"/\\[]:;|=,+*?<>@)";
  if (username.find_first_not_of(". ") == std::string_view::npos)
    return "username consists only of dots and spaces, which AD refuses";
  if (username.back() == '.') return "username ends with a dot, which AD refuses";
  return "";
}

std::vector<std::string> managed_read_attributes(const MappingOptions& m) {
  std::vector<std::string> attrs = {"objectClass",
                                    "ou",
                                    "businessCategory",
                                    "cn",
                                    "sn",
                                    "givenName",
                                    "displayName",
                                    "title",
                                    "mail",
                                    "telephoneNumber",
                                    "mobile",
                                    "departmentNumber",
                                    "employeeType",
                                    "manager"};
  attrs.push_back(std::string(account_key_attribute(m)));
  attrs.push_back(std::string(bind_state_attribute(m)));
  if (!is_ad(m)) attrs.push_back(std::string(kPolicySubentryAttribute));
  if (!is_ad(m)) attrs.push_back(std::string(kAgencyAttribute));
  if (is_ad(m))
    for (const char* a : {"userPrincipalName", "department", "company"}) attrs.push_back(a);
  if (!m.national_id_attribute.empty()) attrs.push_back(m.national_id_attribute);
  if (!m.person_key_attribute.empty()) attrs.push_back(m.person_key_attribute);
  if (m.posix.enabled)
    for (const char* a :
         {"uidNumber", "gidNumber", "loginShell", is_ad(m) ? "unixHomeDirectory" : "homeDirectory"})
      attrs.push_back(a);
  if (!m.groups_dn.empty()) {
    attrs.push_back(std::string(kMemberAttribute));
    attrs.push_back("description");
  }
  return attrs;
}

}  // namespace ps
