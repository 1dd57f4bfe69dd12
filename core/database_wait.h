// portalsyncd's view of the portal database while it cannot use it: why, how often it tried, and
// when it tries again. A database that does not answer (down, restarting, unreachable) is tried
// again soon, backing off from 1 s to 60 s; one that answers and refuses (a wrong password, a
// missing grant, no portalsync schema) needs a person, so it is tried again slowly (30 s to 5 min)
// and shown as refused.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/run_schedule.h"

namespace ps {

enum class DatabaseState { connecting, available, unavailable, refused };
std::string_view to_string(DatabaseState state);

// The waits between attempts for a failure of kind `code` (StatusCode::refused or another).
RetryPolicy database_retry_policy(StatusCode code);

struct DatabaseWait {
  DatabaseState state = DatabaseState::connecting;
  std::string last_error;  // one line: the database (never a password) and the reason
  int attempts = 0;        // failed attempts since it last answered
  std::string next_retry_at;

  // Records a failed attempt of kind `code` (StatusCode::refused or another).
  void failed(StatusCode code, std::string error);
  // How long to wait before the next attempt (`jitter` in [0, 1]).
  std::chrono::milliseconds next_delay(double jitter) const;
  // The database answered: the failures are forgotten.
  void answered();
};

}  // namespace ps
