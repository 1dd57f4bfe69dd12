// The API host only touches its configured subtree: every DN an operation names (the entry, and
// for a move its new parent) must lie strictly below allowed_base_dn, and a read must start at or
// below it. DNs are compared in normalized form (core/dn.h), so case and escaping do not matter.
#pragma once

#include <string>
#include <string_view>

#include "connectors/apihost/apihost_wire.h"
#include "core/result.h"

namespace ps::apihost {

// dn equals base (when or_equal) or lies below it.
bool is_within(std::string_view dn, std::string_view base, bool or_equal);

// Ok, or why the operation is outside the contract's subtree.
Status check_subtree(const WireOp& op, const std::string& allowed_base);

}  // namespace ps::apihost
