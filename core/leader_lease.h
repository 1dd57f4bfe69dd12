// Two nodes, one writer: the portalsyncd processes pointed at one portal database elect the one
// that writes to the directory through the database itself (store/leader_lease.h). The node that
// holds the lease is active; the others wait as standby. Each acquisition gets a fencing number
// one higher than the last, recorded with every change-log record the node writes, so records of
// two writers can never interleave unnoticed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"

namespace ps {

// The last acquisition, as the database recorded it.
struct Leadership {
  std::int64_t fence = 0;  // 0: no node was ever active
  std::string holder;      // "host pid N"
  std::string since;       // UTC
};

class LeaderLease {
 public:
  virtual ~LeaderLease() = default;

  // Becomes the active node when no other holds the lease, with a new fencing number (fence()).
  // StatusCode::conflict when another node holds it; unavailable when the database did not
  // answer; refused when this database cannot have a second node at all (SQLite).
  virtual Status try_acquire() = 0;

  // Proves, now, that this node still holds what it acquired. Any failure means it does not (or
  // cannot tell, which must be treated the same): StatusCode::conflict when it is known lost,
  // unavailable when the database did not answer in time. Once lost, it stays lost until
  // try_acquire succeeds again.
  virtual Status still_held() = 0;

  // The fencing number of the current acquisition; 0 before the first.
  virtual std::int64_t fence() const = 0;

  // Who acquired the lease last (the active node, unless it has just died).
  virtual Result<Leadership> active() = 0;
};

// In memory, for the engine's tests: every node of one election shares its state.
class InMemoryElection {
 public:
  InMemoryElection();
  std::unique_ptr<LeaderLease> node(const std::string& holder);
  // The holder's session is gone (killed, partitioned): the lease is free for another node.
  void drop_holder();

  struct State;  // shared by the election and its nodes

 private:
  std::shared_ptr<State> state_;
};

}  // namespace ps
