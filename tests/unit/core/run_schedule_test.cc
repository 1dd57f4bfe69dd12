// The daemon's timing rules with fixed times: reserved changes to the second, backoff with jitter,
// the daily idle run in Taipei time.
#include <catch2/catch.hpp>

#include "core/change_signal.h"
#include "core/run_schedule.h"

using namespace ps;
using namespace std::chrono;

namespace {

TimePoint at(const char* text) { return *parse_timestamp(text); }

ScheduledChange change(std::string effective_at, ChangeState state = ChangeState::pending) {
  ScheduledChange c;
  c.effective_at = std::move(effective_at);
  c.state = state;
  return c;
}

}  // namespace

TEST_CASE("the next reserved change is the earliest pending one still ahead", "[schedule]") {
  auto now = at("2026-11-25T10:00:00+08:00");
  std::vector<ScheduledChange> changes = {
      change("2026-11-25T10:00:00+08:00"),  // due now
      change("2026-11-25T18:30:05+08:00"),
      change("2026-11-25T11:15:30+08:00", ChangeState::cancelled),
      change("2026-11-25T12:00:01+08:00"), change("not a time")};
  auto next = next_due_change(changes, now);
  REQUIRE(next);
  CHECK(*next == at("2026-11-25T04:00:01Z"));
  CHECK_FALSE(next_due_change({change("2026-11-24T00:00:00Z")}, now));
}

TEST_CASE("retries back off exponentially up to the cap, spread by jitter", "[schedule]") {
  RetryPolicy p{milliseconds(1000), milliseconds(60000)};
  CHECK(retry_delay(p, 1, 1.0) == milliseconds(1000));
  CHECK(retry_delay(p, 2, 1.0) == milliseconds(2000));
  CHECK(retry_delay(p, 4, 1.0) == milliseconds(8000));
  CHECK(retry_delay(p, 4, 0.0) == milliseconds(4000));
  CHECK(retry_delay(p, 30, 1.0) == milliseconds(60000));
  CHECK(retry_delay(p, 1000, 0.5) == milliseconds(45000));
}

TEST_CASE("the daily run falls at the local time of day in Taipei", "[schedule]") {
  auto taipei = hours(8);
  // 01:00 in Taipei (17:00 UTC the day before): 02:00 Taipei is an hour ahead.
  CHECK(next_time_of_day(at("2026-11-24T17:00:00Z"), 120, taipei) == at("2026-11-24T18:00:00Z"));
  // Exactly 02:00 Taipei: the next one is tomorrow.
  CHECK(next_time_of_day(at("2026-11-24T18:00:00Z"), 120, taipei) == at("2026-11-25T18:00:00Z"));
  // 23:30 Taipei: 02:00 is two and a half hours away, on the next local day.
  CHECK(next_time_of_day(at("2026-11-25T15:30:00Z"), 120, taipei) == at("2026-11-25T18:00:00Z"));
}

TEST_CASE("while the database tells of its commits, the journal poll is only a safety net",
          "[schedule]") {
  CHECK(journal_poll_interval(WakeupMode::polling, 1000ms, 5000ms) == 1000ms);
  CHECK(journal_poll_interval(WakeupMode::listening, 1000ms, 5000ms) == 5000ms);
  // A poll configured slower than the safety net is never made faster by listening.
  CHECK(journal_poll_interval(WakeupMode::listening, 30000ms, 5000ms) == 30000ms);
  CHECK(to_string(WakeupMode::listening) == "listening");
  CHECK(to_string(WakeupMode::polling) == "polling");
}
