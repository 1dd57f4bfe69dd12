// Agencies (機關) among the portal's units (科, 室 are units inside one). A unit's agency is its
// nearest ancestor-or-self marked as an agency; once a site marks any unit, a unit with no marked
// ancestor-or-self belongs to its top-level unit. A portal that marks none keeps the rules per
// unit, as before agencies existed (docs/portal-schema.md, docs/policies.md).
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "core/model.h"

namespace ps {

class Agencies {
 public:
  explicit Agencies(const PortalSnapshot& portal);

  // Whether the portal marks any unit as an agency.
  bool marked() const { return marked_; }

  // The unit the per-agency rules (sole agency admin, custody) count by: the agency when any unit
  // is marked, the unit itself otherwise (and for a unit the portal does not have, so two
  // accounts of one missing unit still count together, as before agencies).
  RowId rule_unit_of(RowId unit_id) const;

  // The agency a unit belongs to: its nearest marked ancestor-or-self, else its top-level unit
  // (what AD's company names). 0 for a unit the portal does not have.
  RowId agency_of(RowId unit_id) const;

  // Whether the unit is an agency: its own agency (a marked unit, or a top-level one).
  bool is_agency(RowId unit_id) const { return unit_id != 0 && agency_of(unit_id) == unit_id; }

  // The units an agency administers: those whose agency it is, so its subtree down to, not into,
  // the agencies below it; with_subagencies: its whole subtree. Empty when `agency` is not one.
  std::set<RowId> units_of(RowId agency, bool with_subagencies) const;

  // The names of rule_unit_of and agency_of ("unit <id>" when unknown).
  std::string rule_unit_name(RowId unit_id) const;
  std::string agency_name(RowId unit_id) const;

 private:
  std::string name_of(RowId found, RowId unit_id) const;
  bool below_or_self(RowId unit_id, RowId ancestor) const;

  std::unordered_map<RowId, const OrgUnit*> unit_;
  std::unordered_map<RowId, RowId> agency_;
  bool marked_ = false;
};

}  // namespace ps
