#include "daemon/service/request_scope.h"

namespace ps {

UnitScope scope_of(const ScopeCodes& units, const PortalSnapshot& portal) {
  return units.empty() ? UnitScope() : UnitScope::of(units, portal);
}

const PortalSnapshot& scope_view(const ScopeCodes& units, const PortalSnapshot& portal,
                                 PortalSnapshot& storage) {
  if (units.empty()) return portal;
  storage = scope_of(units, portal).visible(portal);
  return storage;
}

const PortalSnapshot& lookup_view(const ScopeCodes& units, const PortalSnapshot& portal,
                                  std::initializer_list<std::string_view> names,
                                  PortalSnapshot& storage) {
  auto scope = scope_of(units, portal);
  bool all_in = true;
  for (auto name : names)
    all_in = all_in && (scope.has_account(portal, name) || scope.has_shared(portal, name));
  return all_in ? portal : scope_view(units, portal, storage);
}

}  // namespace ps
