#include "core/plan_scope.h"

#include <algorithm>
#include <unordered_map>

namespace ps {

namespace {

// Every account in the given units and the units below them, at any depth.
void add_accounts_below(const std::set<RowId>& units, const PortalSnapshot& portal,
                        std::unordered_set<RowId>& accounts) {
  if (units.empty()) return;
  std::unordered_multimap<RowId, RowId> children;
  for (const auto& u : portal.units)
    if (u.parent_id) children.emplace(*u.parent_id, u.id);
  std::unordered_set<RowId> below(units.begin(), units.end());
  std::vector<RowId> todo(units.begin(), units.end());
  while (!todo.empty()) {
    auto unit = todo.back();
    todo.pop_back();
    auto [first, last] = children.equal_range(unit);
    for (auto it = first; it != last; ++it)
      if (below.insert(it->second).second) todo.push_back(it->second);
  }
  for (const auto& a : portal.accounts)
    if (below.count(a.org_unit_id)) accounts.insert(a.id);
}

}  // namespace

std::size_t max_scope_size(std::size_t accounts) {
  return std::max<std::size_t>(200, accounts / 20);
}

ScopeChoice scope_of_changes(const AffectedObjects& affected,
                             const std::vector<RowId>& decided_accounts,
                             const PortalSnapshot& portal) {
  if (affected.unknown_table) return {{}, "a journal entry names a table this build does not know"};
  if (!affected.units.empty()) return {{}, "an org unit changed"};
  if (!affected.system_rows.empty()) return {{}, "a system changed"};
  PlanScope scope;
  scope.accounts.insert(affected.accounts.begin(), affected.accounts.end());
  scope.accounts.insert(decided_accounts.begin(), decided_accounts.end());
  add_accounts_below(affected.unit_grants, portal, scope.accounts);
  scope.shared_accounts.insert(affected.shared_accounts.begin(), affected.shared_accounts.end());
  for (const auto& s : portal.shared_accounts)
    if (scope.accounts.count(s.custodian_id)) scope.shared_accounts.insert(s.id);
  for (const auto& s : portal.shared_accounts)
    if (scope.shared_accounts.count(s.id) && s.custodian_id != 0)
      scope.accounts.insert(s.custodian_id);
  if (auto limit = max_scope_size(portal.total_accounts()); scope.size() > limit)
    return {{},
            std::to_string(scope.size()) + " objects changed (more than " + std::to_string(limit) +
                ")"};
  return {std::move(scope), ""};
}

}  // namespace ps
