#include "connectors/ldap/ldap_selective_read.h"

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "connectors/ldap/ldap_anchor.h"
#include "connectors/ldap/ldap_read.h"
#include "connectors/ldap/ldap_root_dse.h"
#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

// Servers take long filters, but a page of results per filter keeps each answer small. It is also
// the most member values worth a matched-values filter: the server tests every value against
// every term, and past this a whole read of the groups costs less.
constexpr std::size_t kTermsPerFilter = 100;

std::vector<std::string> user_filters(const SelectiveReadSpec& spec,
                                      const std::string& anchor_attribute) {
  std::vector<std::string> terms;
  for (const auto& anchor : spec.anchors)
    if (auto value = anchor_filter_value(anchor_attribute, anchor); !value.empty())
      terms.push_back("(" + anchor_attribute + "=" + value + ")");
  for (const auto& name : spec.usernames)
    terms.push_back("(" + spec.user_key + "=" + escape_filter_value(name) + ")");
  std::vector<std::string> filters;
  for (std::size_t first = 0; first < terms.size(); first += kTermsPerFilter) {
    std::string filter = "(&(objectClass=" + spec.user_class + ")(|";
    for (std::size_t i = first; i < terms.size() && i < first + kTermsPerFilter; ++i)
      filter += terms[i];
    filters.push_back(filter + "))");
  }
  return filters;
}

using ControlPtr = std::unique_ptr<LDAPControl, decltype(&ldap_control_free)>;

// An RFC 3876 matched-values control that keeps, of `member`, only the values in `dns`. The
// filter applies to every attribute returned, so each other one asked for is kept whole by a
// presence item.
ControlPtr matched_members_control(const std::vector<std::string>& dns,
                                   const std::vector<std::string>& attributes) {
  std::string filter = "(";
  for (const auto& dn : dns)
    filter += "(" + std::string(kMemberAttribute) + "=" + escape_filter_value(dn) + ")";
  for (const auto& a : attributes)
    if (!iequals(a, kMemberAttribute)) filter += "(" + a + "=*)";
  filter += ")";
  BerElement* ber = ber_alloc_t(LBER_USE_DER);
  if (!ber) return ControlPtr(nullptr, ldap_control_free);
  berval* value = nullptr;
  LDAPControl* control = nullptr;
  if (ldap_put_vrFilter(ber, filter.c_str()) == 0 && ber_flatten(ber, &value) == 0)
    ldap_control_create(LDAP_CONTROL_VALUESRETURNFILTER, 1, value, 1, &control);
  ber_bvfree(value);
  ber_free(ber, 1);
  return ControlPtr(control, ldap_control_free);
}

// The groups, their `member` narrowed on the server when that is cheap: to nothing when no user
// was read, or by a matched-values control to the few users read (a group of 100,000 members is
// not read whole to learn about three). Otherwise whole; select_entries narrows it then.
Result<DirectoryReadResult> read_groups(LDAP* ld, const SelectiveReadSpec& spec,
                                        std::vector<std::string> members,
                                        const LdapSettings& settings) {
  std::string filter = "(objectClass=" + spec.group_class + ")";
  ReadSpec read{spec.base_dn, spec.attributes};
  // The placeholders (one per system) do not count against the limit: a few hundred equality
  // terms are cheap, a whole read of large groups is not.
  if (!spec.whole_groups.empty() || members.size() > kTermsPerFilter)
    return read_subtree_matching(ld, read, filter, settings);
  bool no_users = members.empty();
  members.insert(members.end(), spec.placeholder_members.begin(), spec.placeholder_members.end());
  if (no_users && spec.placeholder_members.empty()) {
    std::erase_if(read.attributes,
                  [](const std::string& a) { return iequals(a, kMemberAttribute); });
    return read_subtree_matching(ld, read, filter, settings);
  }
  ControlPtr control(nullptr, ldap_control_free);
  if (server_supports_control(ld, LDAP_CONTROL_VALUESRETURNFILTER, settings)) {
    auto kept = read.attributes;
    kept.push_back("objectClass");
    kept.push_back(settings.anchor_attribute);
    control = matched_members_control(members, kept);
  }
  return read_subtree_matching(ld, read, filter, settings, control.get());
}

}  // namespace

Result<DirectoryReadResult> read_unit_entries(LDAP* ld, const SelectiveReadSpec& spec,
                                              const LdapSettings& settings) {
  ReadSpec read{spec.base_dn, spec.attributes};
  return read_subtree_matching(ld, read, "(objectClass=" + spec.unit_class + ")", settings);
}

Result<DirectoryReadResult> read_selected_entries(LDAP* ld, const SelectiveReadSpec& spec,
                                                  const LdapSettings& settings) {
  ReadSpec read{spec.base_dn, spec.attributes};
  auto out =
      spec.units ? Result<DirectoryReadResult>(*spec.units) : read_unit_entries(ld, spec, settings);
  if (!out || !out->base_exists) return out;
  std::unordered_set<std::string> read_users;  // one named both by anchor and by name comes once
  std::vector<std::string> user_dns;
  for (const auto& filter : user_filters(spec, settings.anchor_attribute)) {
    auto users = read_subtree_matching(ld, read, filter, settings);
    if (!users) return users;
    for (auto& e : users->entries)
      if (read_users.insert(normalize_dn(e.dn())).second) {
        user_dns.emplace_back(e.dn());
        out->entries.push_back(std::move(e));
      }
  }
  auto groups = read_groups(ld, spec, std::move(user_dns), settings);
  if (!groups) return groups;
  for (auto& g : groups->entries) out->entries.push_back(std::move(g));
  return select_entries(std::move(out.value()), spec);
}

}  // namespace ps
