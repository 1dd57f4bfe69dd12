#include "core/agency.h"

namespace ps {

Agencies::Agencies(const PortalSnapshot& portal) {
  for (const auto& u : portal.units) {
    unit_.emplace(u.id, &u);
    marked_ = marked_ || u.is_agency;
  }
  // Walk up from each unit; the step limit ends a cycle (its units are rejected by validation, and
  // here each simply counts as its own agency).
  for (const auto& u : portal.units) {
    const OrgUnit* at = &u;
    RowId found = 0;
    for (std::size_t steps = 0; steps <= portal.units.size(); ++steps) {
      if (at->is_agency) {
        found = at->id;
        break;
      }
      auto parent = at->parent_id ? unit_.find(*at->parent_id) : unit_.end();
      if (parent == unit_.end()) {
        found = at->id;  // the top of the tree (or the last unit before a dangling parent)
        break;
      }
      at = parent->second;
    }
    agency_.emplace(u.id, found ? found : u.id);
  }
}

RowId Agencies::agency_of(RowId unit_id) const {
  auto it = agency_.find(unit_id);
  return it == agency_.end() ? 0 : it->second;
}

RowId Agencies::rule_unit_of(RowId unit_id) const {
  auto agency = marked_ ? agency_of(unit_id) : 0;
  return agency ? agency : unit_id;
}

bool Agencies::below_or_self(RowId unit_id, RowId ancestor) const {
  // The step limit ends a cycle, as in the constructor.
  for (std::size_t steps = 0; steps <= unit_.size(); ++steps) {
    if (unit_id == ancestor) return true;
    auto it = unit_.find(unit_id);
    if (it == unit_.end() || !it->second->parent_id) return false;
    unit_id = *it->second->parent_id;
  }
  return false;
}

std::set<RowId> Agencies::units_of(RowId agency, bool with_subagencies) const {
  std::set<RowId> out;
  if (!is_agency(agency)) return out;
  for (const auto& [id, unit] : unit_)
    if (with_subagencies ? below_or_self(id, agency) : agency_of(id) == agency) out.insert(id);
  return out;
}

std::string Agencies::name_of(RowId found, RowId unit_id) const {
  auto it = unit_.find(found);
  return it == unit_.end() ? "unit " + std::to_string(unit_id) : it->second->name;
}

std::string Agencies::rule_unit_name(RowId unit_id) const {
  return name_of(rule_unit_of(unit_id), unit_id);
}

std::string Agencies::agency_name(RowId unit_id) const {
  return name_of(agency_of(unit_id), unit_id);
}

}  // namespace ps
