// The site's time zone for the daily idle-disable run. The daemon sets the process zone once at
// start and on reload (TZ and tzset are process-wide, so only the event loop's thread calls this).
#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"

namespace ps {

// Makes `zone` (an tz database name such as Asia/Taipei) the process's local zone.
void use_time_zone(const std::string& zone);

// The local zone's offset from UTC at `t`.
std::chrono::minutes utc_offset_at(TimePoint t);

}  // namespace ps
