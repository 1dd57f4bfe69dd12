// The agency a change-log record names: the agency (core/agency.h) of the record's unit as the
// portal's units stand in the transaction that appends it, so a record keeps naming the agency of
// its time after the account or the unit moves on.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <unordered_map>

#include "core/model.h"

namespace ps {

// Looks agencies up for one appending transaction, each unit once.
class RecordAgencies {
 public:
  explicit RecordAgencies(soci::session& sql) : sql_(sql) {}

  // 0 while the portal marks no unit (records then stay as before agencies existed), and for a
  // unit the portal does not have.
  RowId agency_of(RowId unit_id);

 private:
  RowId look_up(RowId unit_id);
  soci::session& sql_;
  std::optional<bool> marked_;
  std::unordered_map<RowId, RowId> found_;
};

}  // namespace ps
