// The result of planning: ordered directory operations, rejected rows, and what was learned about
// identity (entries adopted by name). Rendered for people and as JSON by plan_format.h.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/directory.h"
#include "core/model.h"

namespace ps {

struct PlanSummary {
  std::size_t portal_units = 0;
  std::size_t portal_accounts = 0;
  std::size_t directory_entries = 0;
  std::size_t directory_accounts = 0;  // account entries in the managed subtree
  std::size_t directory_units = 0;     // OUs carrying a unit code
  std::size_t directory_groups = 0;    // entitlement groups
  std::size_t unchanged = 0;           // entries already as the portal wants them
};

// An entry the plan leaves exactly as it is, and why: its portal row is rejected, it sits below a
// rejected unit, or the mass-change guard holds an operation on it. Nothing is concluded from a
// frozen entry: it is not deleted, moved, renamed, modified, nor taken out of a group.
struct FrozenEntry {
  std::string anchor;  // how the entry is found again (its DN when it has no anchor)
  std::string dn;
  std::string reason;
  std::size_t below = 0;  // entries under it, frozen with it
};

struct Plan {
  std::string base_dn;
  std::vector<Operation> operations;  // in order; depends_on points backwards
  std::vector<Rejection> rejected;
  std::vector<std::string> warnings;
  std::vector<FrozenEntry> frozen;
  std::vector<IdentityLink> adopted;      // links found by name on this run (to be saved)
  std::vector<IdentityLink> stale_links;  // links of portal rows that no longer exist
  PlanSummary summary;
  // A scoped plan (core/plan_scope.h) covers only the objects in scope; needs_full says why it
  // could not be planned that way after all (the engine then plans in full).
  bool scoped = false;
  std::string needs_full;
  // A scoped plan that removes members from a groupOfNames: those groups, to be read with every
  // member and planned again (PlanScope::whole_groups), since one may not be left empty.
  std::vector<std::string> read_whole;

  std::size_t count(OpType type) const;
};

}  // namespace ps
