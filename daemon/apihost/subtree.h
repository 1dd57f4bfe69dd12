// The API host only touches its configured subtree: every DN an operation names (the entry, and
// for a move its new parent) must lie below allowed_base_dn, and a read must start at or below it.
// The base itself may only be added (a first sync creates the managed base) or modified; a delete,
// move, rename, disable or enable of it is refused. DNs are compared in normalized form
// (core/dn.h), so case and escaping do not matter.
#pragma once

#include <string>
#include <string_view>

#include "connectors/apihost/apihost_wire.h"
#include "core/result.h"

namespace ps::apihost {

// dn equals base (when or_equal) or lies below it.
bool is_within(std::string_view dn, std::string_view base, bool or_equal);

// Whether an operation of this action may name allowed_base_dn itself as its entry.
bool base_itself_allowed(WireAction action);

// Ok, or why the operation is outside the contract's subtree.
Status check_subtree(const WireOp& op, const std::string& allowed_base);

}  // namespace ps::apihost
