#include "store/change_log_agency.h"

#include <set>

#include "core/agency.h"
#include "store/database.h"

namespace ps {

RowId RecordAgencies::agency_of(RowId unit_id) {
  if (unit_id == 0) return 0;
  if (!marked_) {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id FROM org_units WHERE is_agency <> 0 LIMIT 1");
    marked_ = rows.begin() != rows.end();
  }
  if (!*marked_) return 0;
  auto [it, added] = found_.emplace(unit_id, 0);
  if (added) it->second = look_up(unit_id);
  return it->second;
}

// Reads the unit's chain of ancestors up to the first agency (or the top, a missing parent or a
// cycle) and lets core/agency.h decide on it, so the rule lives in one place.
RowId RecordAgencies::look_up(RowId unit_id) {
  PortalSnapshot chain;
  std::set<RowId> seen;
  std::optional<RowId> next = unit_id;
  while (next && seen.insert(*next).second) {
    long long id = *next;
    next.reset();
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT parent_id, is_agency FROM org_units WHERE id = :i", soci::use(id));
    for (const auto& r : rows) {
      OrgUnit u;
      u.id = id;
      if (r.get_indicator(0) != soci::i_null) u.parent_id = column_int(r, 0);
      u.is_agency = column_int(r, 1) != 0;
      if (!u.is_agency) next = u.parent_id;
      chain.units.push_back(u);
    }
  }
  return Agencies(chain).agency_of(unit_id);
}

}  // namespace ps
