// The mass-change guard: one bad import in the portal must never wipe out the directory. When a
// run would disable or delete more accounts than the limits allow, none of those destructive
// operations is sent until an operator approves exactly that set (`portalsync approve ID`); the
// rest of the plan still applies.
#pragma once

#include <cstddef>
#include <string>

#include "core/hold.h"
#include "core/plan.h"

namespace ps {

struct GuardPolicy {
  std::size_t max_disables = 500;  // absolute limit per run
  int max_disable_percent = 10;    // of the accounts in the managed subtree
  std::size_t percent_floor = 10;  // below this many, the percentage does not apply
};

struct GuardVerdict {
  bool trips = false;
  std::size_t destructive = 0;  // account disables + deletes
  std::size_t managed = 0;      // accounts in the directory before the run
  std::string fingerprint;      // SHA-256 of this exact set of destructive operations
  std::string reason;
};

bool is_destructive(const Operation& op);
GuardVerdict evaluate_mass_change(const Plan& plan, const GuardPolicy& policy);

// Marks every destructive operation held (the applier skips held operations and their dependants
// without sending them).
void hold_destructive(Plan& plan);

}  // namespace ps
