#include "core/entitlements.h"

#include <unordered_set>

namespace ps {

std::unordered_map<RowId, std::vector<RowId>> entitled_accounts(
    const PortalSnapshot& portal, const std::vector<std::size_t>& accounts) {
  std::unordered_map<RowId, std::vector<RowId>> unit_grants;  // unit -> systems granted to it
  for (const auto& g : portal.unit_systems) unit_grants[g.holder_id].push_back(g.system_id);
  std::unordered_map<RowId, std::vector<RowId>> account_grants;
  for (const auto& g : portal.account_systems) account_grants[g.holder_id].push_back(g.system_id);
  std::unordered_map<RowId, const OrgUnit*> units;
  for (const auto& u : portal.units) units[u.id] = &u;

  // Systems per unit including those of its ancestors, computed once per unit.
  std::unordered_map<RowId, std::vector<RowId>> inherited;
  auto systems_of_unit = [&](RowId unit) -> const std::vector<RowId>& {
    if (auto it = inherited.find(unit); it != inherited.end()) return it->second;
    std::vector<RowId> all;
    std::unordered_set<RowId> seen;
    for (RowId k = unit; seen.insert(k).second;) {  // a cycle ends the walk
      if (auto g = unit_grants.find(k); g != unit_grants.end())
        all.insert(all.end(), g->second.begin(), g->second.end());
      auto u = units.find(k);
      if (u == units.end() || !u->second->parent_id) break;
      k = *u->second->parent_id;
    }
    return inherited[unit] = std::move(all);
  };

  std::unordered_map<RowId, std::vector<RowId>> out;
  for (auto index : accounts) {
    const auto& a = portal.accounts[index];
    std::unordered_set<RowId> systems;
    for (auto s : systems_of_unit(a.org_unit_id)) systems.insert(s);
    if (auto g = account_grants.find(a.id); g != account_grants.end())
      systems.insert(g->second.begin(), g->second.end());
    for (auto s : systems) out[s].push_back(a.id);
  }
  return out;
}

}  // namespace ps
