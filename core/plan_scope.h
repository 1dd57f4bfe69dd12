// Which objects a scoped run plans: the accounts and shared accounts that a batch of journal
// entries and the rules' decisions touched, closed over what planning them alone needs (a
// shared account's custodian, for its `manager`; the shared accounts an account answers for).
// Some changes only a full reconcile can plan: a unit or system row (a unit renames or retires
// a whole subtree, a system a whole group), an entry this build cannot interpret, or so many
// objects that reading everything is cheaper.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/change_journal.h"
#include "core/model.h"

namespace ps {

struct PlanScope {
  std::unordered_set<RowId> accounts;
  std::unordered_set<RowId> shared_accounts;
  // Groups (normalized DNs) read with every member: a groupOfNames losing members, whose last
  // real member must give way to the placeholder (Plan::read_whole asks for them).
  std::unordered_set<std::string> whole_groups;
  // The account and shared-account links in the store, when the plan is given only some of them
  // (core/scoped_links.h); unset: the links given are all there are.
  std::optional<std::size_t> linked_accounts;

  std::size_t size() const { return accounts.size() + shared_accounts.size(); }
};

struct ScopeChoice {
  std::optional<PlanScope> scope;  // empty: a full reconcile is needed
  std::string full_because;        // why, when scope is empty
};

// The largest scope worth planning alone for a portal of `accounts` accounts: beyond it a full
// read costs less than the per-entry reads (5% of the portal, at least 200 objects).
std::size_t max_scope_size(std::size_t accounts);

ScopeChoice scope_of_changes(const AffectedObjects& affected,
                             const std::vector<RowId>& decided_accounts,
                             const PortalSnapshot& portal);

}  // namespace ps
