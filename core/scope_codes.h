// What a token (`units:`, `agencies:`) or a command (--unit, --agency) names as its scope, as codes
// the portal's tree resolves when asked (core/unit_scope.h; docs/admin-api.md, "Roles and unit
// scopes"). Nothing named: every unit.
#pragma once

#include <string>
#include <vector>

namespace ps {

struct ScopeCodes {
  std::vector<std::string> units;     // each with every unit below it
  std::vector<std::string> agencies;  // each down to, not into, the agencies below it
  bool with_subagencies = false;      // true: the agencies below as well (their whole subtree)

  bool empty() const { return units.empty() && agencies.empty(); }
};

}  // namespace ps
