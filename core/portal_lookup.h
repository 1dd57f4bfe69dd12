// Finding rows in a portal snapshot by id, username or code (linear: used on command paths and by
// the rules, never in the planner's hot loops).
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"

namespace ps {

const Account* find_account(const PortalSnapshot& p, RowId id);
const Account* find_account_by_username(const PortalSnapshot& p, std::string_view username);
const OrgUnit* find_unit(const PortalSnapshot& p, RowId id);
const OrgUnit* find_unit_by_code(const PortalSnapshot& p, std::string_view code);
const SharedAccount* find_shared_by_username(const PortalSnapshot& p, std::string_view username);

// The unit's name, or "unit <id>" when it does not exist.
std::string unit_name(const PortalSnapshot& p, RowId id);
// The unit an object is filed under: a unit itself, an account's or a shared account's unit; 0
// for a group or an object the portal no longer has.
RowId unit_of(const PortalSnapshot& p, ObjectKind kind, RowId id);
// The account's username, or "account <id>" when it does not exist.
std::string account_name(const PortalSnapshot& p, RowId id);

}  // namespace ps
