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
#include "store/database_lock.h"

namespace ps {

// The last claim; fence 0 when no node ever claimed. Throws on a database error.
Leadership read_leadership(soci::session& sql);

// Claims the next fencing number for `holder`, in a transaction of its own that takes the change
// log's append lock, so every append either precedes the claim or sees it (ChainAppender).
std::int64_t claim_fence(soci::session& sql, const std::string& holder);

// The lease also holds the node's run lock (store/database_lock.h) for each run. On a server it
// takes it on the lease's own session, which the server ends when the node goes silent: a node
// cut off in the middle of a run must not keep the run lock from the node that took over (on a
// connection of its own it would stay held until the server's TCP keepalive gave up on it, two
// hours by default).
class DatabaseLeaderLease : public LeaderLease {
 public:
  // The run lock for one run, released when the result goes away. StatusCode::conflict when
  // another sync holds it or this node does not hold the lease; unavailable when the database
  // did not answer. Not on SQLite (refused): its run lock is a file lock of the daemon's.
  virtual Result<std::unique_ptr<DatabaseLock>> take_run_lock() = 0;
};

// `holder` names this node in ps_leadership and /v1/status. `lease`: how long a node cut off from
// the database may still believe it is active; it proves it holds the lease well within it.
std::unique_ptr<DatabaseLeaderLease> database_leader_lease(const std::string& url,
                                                           const std::string& holder,
                                                           std::chrono::seconds lease);

}  // namespace ps
