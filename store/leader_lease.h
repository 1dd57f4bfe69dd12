// The leader lease of core/leader_lease.h, held through the portal database. On a database
// server (PostgreSQL) it is a session lock on a connection of its own, which the server releases
// when that connection ends however the holder ends (killed, its machine gone, or silent for
// longer than the lease: cut off by a partition). On SQLite, one machine's file, a second node
// makes no sense: the lease is a file lock beside the database and a second portalsyncd is
// refused. Either way each acquisition claims the next fencing number in ps_leadership.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/leader_lease.h"
#include "core/result.h"

namespace ps {

// The last claim; fence 0 when no node ever claimed. Throws on a database error.
Leadership read_leadership(soci::session& sql);

// Claims the next fencing number for `holder`, in a transaction of its own that takes the change
// log's append lock, so every append either precedes the claim or sees it (ChainAppender).
std::int64_t claim_fence(soci::session& sql, const std::string& holder);

// `holder` names this node in ps_leadership and /v1/status. `lease`: how long a node cut off from
// the database may still believe it is active; it proves it holds the lease well within it.
std::unique_ptr<LeaderLease> database_leader_lease(const std::string& url,
                                                   const std::string& holder,
                                                   std::chrono::seconds lease);

}  // namespace ps
