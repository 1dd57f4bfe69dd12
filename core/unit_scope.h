// The units a token with `units:` or `agencies:` reaches: each listed unit and every unit below
// it, each listed agency down to, not into, the agencies below it (all of them with
// with_subagencies), as the portal is now, so a unit moved elsewhere leaves the scope with its
// accounts (docs/admin-api.md).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/scope_codes.h"

namespace ps {

class UnitScope {
 public:
  UnitScope() = default;  // every unit: a token without `units:`

  // The subtrees of the units with these codes; a code the portal does not have adds nothing.
  static UnitScope of(const std::vector<std::string>& codes, const PortalSnapshot& portal);
  // The same for codes.units, plus the agencies' units (core/agency.h, Agencies::units_of); an
  // agency code that names no agency (a unit inside one, or none) adds nothing.
  static UnitScope of(const ScopeCodes& codes, const PortalSnapshot& portal);

  bool unlimited() const { return unlimited_; }
  bool has_unit(RowId unit) const { return unlimited_ || units_.count(unit) > 0; }
  // Limited: false for an account the portal does not have, so "elsewhere" and "nowhere" look
  // alike. Unlimited: true (the endpoint says whether the account exists).
  bool has_account(const PortalSnapshot& portal, std::string_view username) const;
  bool has_shared(const PortalSnapshot& portal, std::string_view username) const;
  // The part of `portal` in scope: its units, accounts, shared accounts and their grants (the
  // whole portal when unlimited). Looking a name up there fails alike for "elsewhere" and
  // "nowhere".
  PortalSnapshot visible(const PortalSnapshot& portal) const;
  // The units in scope (empty when unlimited).
  const std::set<RowId>& units() const { return units_; }

 private:
  bool unlimited_ = true;
  std::set<RowId> units_;
};

}  // namespace ps
