#include "core/unit_scope.h"

#include "core/agency.h"
#include "core/portal_lookup.h"

namespace ps {

UnitScope UnitScope::of(const std::vector<std::string>& codes, const PortalSnapshot& portal) {
  UnitScope scope;
  scope.unlimited_ = false;
  for (const auto& code : codes)
    if (const auto* unit = find_unit_by_code(portal, code)) scope.units_.insert(unit->id);
  // Adds children until nothing changes: the tree is small and a cycle cannot loop forever.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& unit : portal.units)
      if (unit.parent_id && scope.units_.count(*unit.parent_id) &&
          scope.units_.insert(unit.id).second)
        grew = true;
  }
  return scope;
}

UnitScope UnitScope::of(const ScopeCodes& codes, const PortalSnapshot& portal) {
  auto scope = of(codes.units, portal);
  if (codes.agencies.empty()) return scope;
  Agencies agencies(portal);
  for (const auto& code : codes.agencies)
    if (const auto* unit = find_unit_by_code(portal, code))
      scope.units_.merge(agencies.units_of(unit->id, codes.with_subagencies));
  return scope;
}

PortalSnapshot UnitScope::visible(const PortalSnapshot& portal) const {
  if (unlimited_) return portal;
  PortalSnapshot out;
  std::set<RowId> accounts;
  for (const auto& u : portal.units)
    if (has_unit(u.id)) out.units.push_back(u);
  for (const auto& a : portal.accounts)
    if (has_unit(a.org_unit_id)) {
      out.accounts.push_back(a);
      accounts.insert(a.id);
    }
  for (const auto& s : portal.shared_accounts)
    if (has_unit(s.org_unit_id)) out.shared_accounts.push_back(s);
  out.systems = portal.systems;
  for (const auto& g : portal.unit_systems)
    if (has_unit(g.holder_id)) out.unit_systems.push_back(g);
  for (const auto& g : portal.account_systems)
    if (accounts.count(g.holder_id)) out.account_systems.push_back(g);
  return out;
}

bool UnitScope::has_account(const PortalSnapshot& portal, std::string_view username) const {
  if (unlimited_) return true;
  const auto* account = find_account_by_username(portal, username);
  return account && has_unit(account->org_unit_id);
}

bool UnitScope::has_shared(const PortalSnapshot& portal, std::string_view username) const {
  if (unlimited_) return true;
  const auto* shared = find_shared_by_username(portal, username);
  return shared && has_unit(shared->org_unit_id);
}

}  // namespace ps
