// Time as the engine sees it: rules that depend on time are tested with a FixedClock.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ps {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time.
  virtual TimePoint now() const = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }
  void set(TimePoint t) { t_ = t; }

 private:
  TimePoint t_;
};

// "2026-11-25T06:30:00Z" (UTC, second precision).
std::string format_utc(TimePoint t);

// Parses ISO 8601 date-times with an offset ("2026-11-25T14:30:00+08:00", "...Z",
// "2026-11-25 06:30:00+00") or a bare date ("2026-11-25", taken as UTC midnight).
std::optional<TimePoint> parse_timestamp(std::string_view text);

}  // namespace ps
