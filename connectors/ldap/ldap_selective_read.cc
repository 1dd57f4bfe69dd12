#include "connectors/ldap/ldap_selective_read.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "connectors/ldap/ldap_anchor.h"
#include "connectors/ldap/ldap_read.h"
#include "core/dn.h"

namespace ps {

namespace {

// Servers take long filters, but a page of results per filter keeps each answer small.
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

}  // namespace

Result<DirectoryReadResult> read_selected_entries(LDAP* ld, const SelectiveReadSpec& spec,
                                                  const LdapSettings& settings) {
  ReadSpec read{spec.base_dn, spec.attributes};
  auto out = read_subtree_matching(
      ld, read, "(|(objectClass=" + spec.unit_class + ")(objectClass=" + spec.group_class + "))",
      settings);
  if (!out || !out->base_exists) return out;
  std::unordered_set<std::string> read_users;  // one named both by anchor and by name comes once
  for (const auto& filter : user_filters(spec, settings.anchor_attribute)) {
    auto users = read_subtree_matching(ld, read, filter, settings);
    if (!users) return users;
    for (auto& e : users->entries)
      if (read_users.insert(normalize_dn(e.dn)).second) out->entries.push_back(std::move(e));
  }
  return select_entries(std::move(out.value()), spec);
}

}  // namespace ps
