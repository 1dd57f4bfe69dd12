#include "core/run_schedule.h"

#include <algorithm>

namespace ps {

std::optional<TimePoint> next_due_change(const std::vector<ScheduledChange>& changes,
                                         TimePoint now) {
  std::optional<TimePoint> next;
  for (const auto& c : changes) {
    if (c.state != ChangeState::pending) continue;
    auto at = parse_timestamp(c.effective_at);
    if (!at || *at <= now) continue;
    if (!next || *at < *next) next = *at;
  }
  return next;
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt, double jitter) {
  auto delay = policy.initial;
  for (int i = 1; i < attempt && delay < policy.max; ++i) delay *= 2;
  delay = std::min(delay, policy.max);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(delay.count()) * (0.5 + 0.5 * jitter)));
}

TimePoint next_time_of_day(TimePoint now, int minutes_of_day, std::chrono::minutes utc_offset) {
  using namespace std::chrono;
  auto local = floor<seconds>(now) + utc_offset;
  auto midnight = floor<days>(local);
  auto candidate = midnight + minutes(minutes_of_day);
  if (candidate <= local) candidate += days(1);
  return TimePoint(duration_cast<TimePoint::duration>((candidate - utc_offset).time_since_epoch()));
}

}  // namespace ps
