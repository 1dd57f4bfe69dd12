// Which portal rows the directory can take. A bad row is rejected with a reason naming it and the
// problem; every other row still syncs. Rejection cascades only where it must (a unit's children
// and accounts cannot be placed without it).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/directory.h"
#include "core/mapping.h"
#include "core/model.h"

namespace ps {

struct ValidatedPortal {
  std::vector<std::size_t> units_top_down;            // indexes into snapshot.units, parents first
  std::vector<std::size_t> accounts;                  // indexes into snapshot.accounts
  std::vector<std::size_t> shared_accounts;           // indexes into snapshot.shared_accounts
  std::unordered_map<RowId, std::size_t> unit_by_id;  // every unit row, valid or not
  std::vector<Rejection> rejected;
  std::vector<std::string> warnings;  // rows that sync but need a person's attention
  bool agencies_marked = false;       // some unit is marked as an agency (core/agency.h)
};

ValidatedPortal validate_portal(const PortalSnapshot& portal, const MappingOptions& mapping);

// The problem with a username, or "" when the directory of this flavor can take it.
std::string username_problem(std::string_view username, const MappingOptions& mapping);

}  // namespace ps
