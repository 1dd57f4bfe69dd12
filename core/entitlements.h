// Who is entitled to which application system (可用系統): through a grant to the account's unit or
// any unit above it (org_unit_systems, inherited down the tree), or directly (account_systems).
#pragma once

#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace ps {

// System id -> ids of the accounts (among `accounts`, indexes into portal.accounts) entitled to it.
std::unordered_map<RowId, std::vector<RowId>> entitled_accounts(
    const PortalSnapshot& portal, const std::vector<std::size_t>& accounts);

}  // namespace ps
