// The identity links a scoped run loads. At 100,000 accounts reading every link took a journal
// run ~140 ms on PostgreSQL, more than planning and applying its change; a scoped plan needs only
// the links that can name what it reads:
//  - every link of a unit, group or shared account (a few thousand at most);
//  - the account links of the rows in scope;
//  - any link naming an entry the read returned that those do not name (an entry found by a
//    scoped row's username may be linked to a row outside the scope, which then owns it).
// With these the planner reaches the same conclusions as with every link: each rule that looks a
// link up starts from a row in scope or from an entry read. The mass-change guard's denominator,
// the number of linked accounts, is counted by the store instead.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/directory.h"
#include "core/portal_store.h"

namespace ps {

// What PortalStore::load_links_for returns, taken from every link (the default, and test doubles).
LinkSelection select_links(const std::vector<IdentityLink>& all, const LinkRequest& request);

// The anchors of `read`'s entries that none of `links` names.
std::set<std::string> unlinked_anchors(const DirectoryReadResult& read,
                                       const std::vector<IdentityLink>& links);

// Appends the links of `more` that `into` does not hold yet (same kind and portal id).
void merge_links(std::vector<IdentityLink>& into, const std::vector<IdentityLink>& more);

}  // namespace ps
