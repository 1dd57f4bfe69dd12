#include "core/agency_groups.h"

#include <algorithm>

#include "core/agency.h"

namespace ps {

std::string agency_group_name(std::string_view name_template, std::string_view code) {
  std::string out(name_template);
  for (auto at = out.find(kAgencyCodePlaceholder); at != std::string::npos;
       at = out.find(kAgencyCodePlaceholder, at + code.size()))
    out.replace(at, kAgencyCodePlaceholder.size(), code);
  return out;
}

std::vector<System> agency_groups(const PortalSnapshot& portal, std::string_view name_template) {
  std::vector<System> out;
  if (name_template.empty()) return out;
  for (const auto& u : portal.units)
    if (u.is_agency)
      out.push_back(
          {agency_group_id(u.id), u.code, u.name, agency_group_name(name_template, u.code)});
  std::sort(out.begin(), out.end(),
            [](const System& a, const System& b) { return a.id > b.id; });  // unit ids ascending
  return out;
}

std::unordered_map<RowId, std::vector<RowId>> agency_group_members(
    const PortalSnapshot& portal, const std::vector<std::size_t>& accounts) {
  std::unordered_map<RowId, std::vector<RowId>> out;
  Agencies agencies(portal);
  if (!agencies.marked()) return out;
  for (auto i : accounts) {
    const auto& a = portal.accounts[i];
    if (a.status() != "enabled") continue;
    // An unmarked top-level unit is its subtree's agency too, but has no group: it is no agency.
    auto agency = agencies.agency_of(a.org_unit_id);
    out[agency_group_id(agency)].push_back(a.id);
  }
  return out;
}

}  // namespace ps
