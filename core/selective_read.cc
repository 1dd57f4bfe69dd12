#include "core/selective_read.h"

#include <unordered_set>

#include "core/dn.h"
#include "core/text.h"

namespace ps {

SelectiveReadSpec selective_read_spec(const MappingOptions& mapping,
                                      std::vector<std::string> anchors,
                                      std::vector<std::string> usernames,
                                      const std::vector<System>& systems) {
  SelectiveReadSpec spec;
  spec.base_dn = mapping.base_dn;
  spec.attributes = managed_read_attributes(mapping);
  spec.unit_class = unit_object_classes(mapping).back();
  spec.group_class = group_object_class(mapping);
  spec.user_class = account_object_class(mapping);
  spec.user_key = account_key_attribute(mapping);
  spec.anchors = std::move(anchors);
  spec.usernames = std::move(usernames);
  if (mapping.flavor == Flavor::openldap && !mapping.groups_dn.empty()) {
    spec.placeholder_members.push_back(mapping.groups_dn);
    for (const auto& s : systems) spec.placeholder_members.push_back(group_dn(mapping, s));
  }
  return spec;
}

DirectoryReadResult select_entries(DirectoryReadResult all, const SelectiveReadSpec& spec) {
  std::unordered_set<std::string_view> anchors(spec.anchors.begin(), spec.anchors.end());
  std::unordered_set<std::string> names;
  for (const auto& n : spec.usernames) names.insert(to_lower_ascii(n));
  auto is_selected_user = [&](const DirectoryEntry& e) {
    if (!e.has_object_class(spec.user_class)) return false;
    if (!e.anchor().empty() && anchors.count(e.anchor())) return true;
    auto key = e.find(spec.user_key);
    return key && !key->empty() && names.count(to_lower_ascii(key->front()));
  };
  DirectoryReadResult out;
  out.base_exists = all.base_exists;
  std::unordered_set<std::string> user_dns;
  for (auto& e : all.entries) {
    if (e.has_object_class(spec.unit_class) || e.has_object_class(spec.group_class)) {
      out.entries.push_back(std::move(e));
    } else if (is_selected_user(e)) {
      user_dns.insert(normalize_dn(e.dn()));
      out.entries.push_back(std::move(e));
    }
  }
  for (const auto& dn : spec.placeholder_members) user_dns.insert(normalize_dn(dn));
  std::unordered_set<std::string> whole;
  for (const auto& dn : spec.whole_groups) whole.insert(normalize_dn(dn));
  for (auto& e : out.entries) {
    if (!e.has_object_class(spec.group_class) || whole.count(normalize_dn(e.dn()))) continue;
    auto members = e.find(kMemberAttribute);
    if (!members) continue;
    std::vector<std::string> kept;
    for (auto v : *members)
      if (user_dns.count(normalize_dn(v))) kept.emplace_back(v);
    if (kept.empty())
      e.remove_attribute(kMemberAttribute);
    else
      e.set_attribute(kMemberAttribute, kept);
  }
  return out;
}

}  // namespace ps
