// Custodian handover checks (保管人交接): no account is disabled, or moved out of its unit, while
// it is the only enabled agency admin of that unit or the custodian of enabled shared accounts.
// Every path that disables or transfers (manual, scheduled, batch, idle) asks here first.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace ps {

// What blocks disabling or transferring `account` now, each with what to do about it; empty when
// nothing does.
std::vector<std::string> handover_problems(const PortalSnapshot& portal, const Account& account);

// Each check alone ("" when it does not block): the unit's only enabled agency admin; the
// custodian of enabled shared accounts.
std::string sole_admin_problem(const PortalSnapshot& portal, const Account& account);
std::string custody_problem(const PortalSnapshot& portal, const Account& account);

// One line: the problems joined with "; ".
std::string join_problems(const std::vector<std::string>& problems);

}  // namespace ps
