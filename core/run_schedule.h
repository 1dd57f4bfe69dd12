// When the daemon runs next: reserved changes when they fall due (to the second), retries after a
// failure with exponential backoff and jitter, and a daily time of day in the site's time zone.
// Pure functions, so the timing rules are tested with fixed times.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/model.h"

namespace ps {

// The earliest effective_at of a pending change that is still in the future; nullopt when none.
// Changes already due were handled by the run that just ended (or are retried with it).
std::optional<TimePoint> next_due_change(const std::vector<ScheduledChange>& changes,
                                         TimePoint now);

struct RetryPolicy {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds max{300000};
};

// The wait before retry number `attempt` (1 for the first retry): initial * 2^(attempt-1), capped
// at max, then spread over [half of it, all of it] by `jitter` in [0, 1] so that many daemons
// restarted by one outage do not retry in step.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt, double jitter);

// The next moment after `now` at which the local wall clock reads minutes_of_day (0..1439), for a
// zone `utc_offset` ahead of UTC (Asia/Taipei: +8 h, no daylight saving).
TimePoint next_time_of_day(TimePoint now, int minutes_of_day, std::chrono::minutes utc_offset);

}  // namespace ps
