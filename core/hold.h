// A held set of destructive operations (the mass-change guard's, core/mass_change_guard.h), kept
// in the portal database (ps_holds). An approval is bound to the exact set it was given for (by
// the set's SHA-256 digest) and releases it once; a run in which the guard does not trip closes
// every open hold, so a later identical set needs a new approval.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace ps {

// held: waiting for an operator. approved: the next run that plans exactly this set sends it.
// rejected: the operator said no; the set stays held until the portal stops asking for it.
// released: sent under its approval (closed). expired: the portal stopped asking for exactly this
// set (closed).
enum class HoldState { held, approved, released, expired, rejected };

std::string_view to_string(HoldState s);
std::optional<HoldState> parse_hold_state(std::string_view s);

// Open holds still bind their set: held, approved and rejected ones.
inline bool is_open(HoldState s) {
  return s == HoldState::held || s == HoldState::approved || s == HoldState::rejected;
}

struct Hold {
  RowId id = 0;
  std::string fingerprint;  // SHA-256 (hex) of the sorted destructive operations
  std::string created_at;
  std::size_t destructive = 0;
  std::size_t managed = 0;
  std::string reason;
  HoldState state = HoldState::held;
  std::string approved_by;  // who approved or rejected it
  std::string approved_at;
  // The first of its destructive operations (held_sample_json, core/mass_change_guard.h), as the
  // change log's record of the hold keeps them; "" for a hold recorded before samples were kept.
  std::string sample_json;
};

}  // namespace ps
