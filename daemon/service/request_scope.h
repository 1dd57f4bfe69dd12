// A request's view of the portal under its token's `units:` and `agencies:` (docs/admin-api.md,
// "Roles and unit scopes"): an account outside the scope is looked up where it cannot be found, so
// the endpoint answers 404 exactly as for an account that does not exist. `units` empty (nothing
// named): every unit.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/unit_scope.h"

namespace ps {

// The token's scope in the portal as it is now.
UnitScope scope_of(const ScopeCodes& units, const PortalSnapshot& portal);

// `portal` itself when unscoped, otherwise the scope's part of it, kept in `storage`.
const PortalSnapshot& scope_view(const ScopeCodes& units, const PortalSnapshot& portal,
                                 PortalSnapshot& storage);

// `portal` itself when every name (an account or a shared account) is in the scope, so the
// action sees the whole portal; otherwise scope_view.
const PortalSnapshot& lookup_view(const ScopeCodes& units, const PortalSnapshot& portal,
                                  std::initializer_list<std::string_view> names,
                                  PortalSnapshot& storage);

}  // namespace ps
