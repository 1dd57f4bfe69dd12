// Sample timestamps as the portal writes them: Taiwan local time with its offset.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

#include "core/clock.h"

namespace ps::sample {

inline constexpr auto kTaiwanOffset = std::chrono::hours(8);

// `utc` as ISO 8601 in Taiwan time, e.g. "2026-12-08T08:00:00+08:00".
inline std::string taiwan_time(TimePoint utc) {
  auto t = std::chrono::system_clock::to_time_t(utc + kTaiwanOffset);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return out;
}

}  // namespace ps::sample
