// The mass-change guard: one bad import in the portal must never wipe out the directory. When a
// run would disable accounts or delete entries (accounts, units, groups) beyond the limits, or
// a portal table reads empty, none of those destructive operations is sent until an operator
// approves exactly that set (`portalsync approve ID`), and the entries they touch are frozen:
// nothing planned from the held state (a group member removal, say) is sent either. The rest of
// the plan still applies.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/hold.h"
#include "core/plan.h"

namespace ps {

struct GuardPolicy {
  std::size_t max_disables = 500;  // absolute limit of destructive operations per run
  int max_disable_percent = 10;    // of the managed entries (accounts, units, groups)
  std::size_t percent_floor = 10;  // below this many, the percentage does not apply
};

struct GuardVerdict {
  bool trips = false;
  std::size_t destructive = 0;  // disables + deletes of every kind
  std::size_t managed = 0;      // managed entries in the directory before the run
  std::string fingerprint;      // SHA-256 of this exact set of destructive operations
  std::string reason;
};

bool is_destructive(const Operation& op);
GuardVerdict evaluate_mass_change(const Plan& plan, const GuardPolicy& policy);

// A sample of the destructive operations of `plan` for the hold's change-log record, so an
// approver sees who and why: a JSON array of the first `limit`, each {"operation", "kind",
// "subject", "dn", "reason"}.
std::string held_sample_json(const Plan& plan, std::size_t limit = 10);

// Marks every destructive operation held (the applier skips held operations and their dependants
// without sending them).
void hold_destructive(Plan& plan);

// The entries the held operations touch, to be frozen by planning again (plan_sync's `hold`).
std::vector<FrozenEntry> held_entries(const Plan& plan);

// `replanned` (planned with held_entries(held) frozen) gets the held operations back, at the
// end and without dependencies, so the run reports and records what it holds.
void restore_held(Plan& replanned, const Plan& held);

}  // namespace ps
