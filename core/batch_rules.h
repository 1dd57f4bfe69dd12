// Batch actions (批次) are allowed only on uniform selections: every row of a batch names an
// account with the same role, status, agency (unit, while no unit is marked as an agency) and
// needs_mail, and carries a reason. A mixed batch is
// refused whole, naming every offending row.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace ps {

// One message per offending row ("row 3 (lin.wei): role agency_admin, the batch's is user");
// empty when the batch may be written.
std::vector<std::string> batch_problems(const PortalSnapshot& portal,
                                        const std::vector<ScheduledChange>& batch);

}  // namespace ps
