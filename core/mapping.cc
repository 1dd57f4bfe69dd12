#include "core/mapping.h"

#include "core/dn.h"

namespace ps {

namespace {

void add_if_set(std::vector<DesiredAttribute>& out, std::string name, const std::string& value) {
  if (value.empty())
    out.push_back({std::move(name), {}});
  else
    out.push_back({std::move(name), {value}});
}

bool printable_string_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("'()+,-./:? =").find(c) != std::string_view::npos;
}

}  // namespace

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
std::string_view account_rdn_type(const MappingOptions&) { return "uid"; }

std::string unit_rdn(const MappingOptions& m, const OrgUnit& u) {
  return make_rdn(unit_rdn_type(m), u.name);
}

std::string account_rdn(const MappingOptions& m, const Account& a) {
  return make_rdn(account_rdn_type(m), a.username);
}

std::vector<DesiredAttribute> unit_attributes(const MappingOptions&, const OrgUnit& u) {
  return {{"ou", {u.name}}, {std::string(kUnitCodeAttribute), {u.code}}};
}

// inetOrgPerson requires cn and sn: an account without a surname uses its display name as sn.
std::vector<DesiredAttribute> account_attributes(const MappingOptions& m, const Account& a,
                                                 const OrgUnit& unit) {
  std::vector<DesiredAttribute> out;
  out.reserve(12);
  out.push_back({"uid", {a.username}});
  out.push_back({"cn", {a.display_name}});
  out.push_back({"sn", {a.surname.empty() ? a.display_name : a.surname}});
  add_if_set(out, "givenName", a.given_name);
  out.push_back({"displayName", {a.display_name}});
  add_if_set(out, "title", a.title);
  add_if_set(out, "mail", a.email);
  add_if_set(out, "telephoneNumber", directory_phone(a.office_phone));
  add_if_set(out, "mobile", directory_phone(a.mobile));
  out.push_back({"departmentNumber", {unit.code}});
  if (!m.national_id_attribute.empty()) add_if_set(out, m.national_id_attribute, a.national_id);
  return out;
}

std::vector<std::string> unit_object_classes(const MappingOptions&) {
  return {"top", "organizationalUnit"};
}

std::vector<std::string> account_object_classes(const MappingOptions&) {
  return {"top", "person", "organizationalPerson", "inetOrgPerson"};
}

std::string group_rdn(const System& s) { return make_rdn("cn", s.group_name); }

std::vector<DesiredAttribute> group_attributes(const System& s) {
  return {{"cn", {s.group_name}}, {"description", {s.name}}};
}

std::vector<std::string> group_object_classes(const MappingOptions&) {
  return {"top", "groupOfNames"};
}

bool account_may_bind(const Account& a) { return a.status == "enabled" && !a.locked; }

std::vector<std::string> managed_read_attributes(const MappingOptions& m) {
  std::vector<std::string> attrs = {"objectClass",
                                    "ou",
                                    "businessCategory",
                                    "uid",
                                    "cn",
                                    "sn",
                                    "givenName",
                                    "displayName",
                                    "title",
                                    "mail",
                                    "telephoneNumber",
                                    "mobile",
                                    "departmentNumber",
                                    std::string(kLockAttribute)};
  if (!m.national_id_attribute.empty()) attrs.push_back(m.national_id_attribute);
  if (!m.groups_dn.empty()) {
    attrs.push_back(std::string(kMemberAttribute));
    attrs.push_back("description");
  }
  return attrs;
}

}  // namespace ps
