// Planning directory.agency_groups (core/agency_groups.h): each agency's group is planned as a
// system's group is (planner_groups.cc), members being the agency's own enabled accounts.
#include "core/planner_internal.h"

namespace ps::planner_detail {

// An agency whose unit row is rejected keeps its group as it is (frozen with the unit's
// subtree); a group name another group has is a rejected row of its own, frozen too.
void Planner::plan_agency_groups(const ValidatedPortal& valid, int groups,
                                 const std::unordered_map<RowId, std::string_view>& linked,
                                 const std::unordered_map<std::string, int>& by_cn,
                                 std::unordered_set<std::string>& names) {
  auto agencies = agency_groups(portal_, mapping_.agency_groups);
  if (agencies.empty()) return;
  std::unordered_set<RowId> valid_units;
  for (auto i : valid.units_top_down) valid_units.insert(portal_.units[i].id);
  auto members = agency_group_members(portal_, valid.accounts);
  for (const auto& g : agencies) {
    auto agency = "agency " + g.code + " (" + g.name + ")";
    if (!valid_units.count(-g.id)) {
      freeze_rejected_group(g, linked, by_cn, agency + ": its unit row is rejected");
      continue;
    }
    if (!is_valid_utf8(g.group_name) || !names.insert(to_lower_ascii(g.group_name)).second) {
      plan_.rejected.push_back({ObjectKind::group, g.id, g.group_name,
                                agency + ": directory.agency_groups names its group " +
                                    g.group_name + ", which is not valid UTF-8 or another " +
                                    "group's name"});
      freeze_rejected_group(g, linked, by_cn, plan_.rejected.back().reason);
      continue;
    }
    plan_group(g, groups, linked, by_cn, members[g.id]);
  }
}

}  // namespace ps::planner_detail
