// Scheduled-change times (effective_at from the portal, the CLI's --at, POST
// /v1/scheduled-changes): parse_timestamp never misbehaves, a parsed time formats and parses back
// to itself, and due_changes orders rows with any effective_at text.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/lifecycle.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto at = ps::parse_timestamp(text);
  using namespace std::chrono;
  // The round trip holds where TimePoint does not saturate (it ends in 2262).
  auto first = sys_days{year{1970} / 1 / 1}, last = sys_days{year{2262} / 1 / 1};
  if (at && *at >= first && *at <= last) {
    auto formatted = ps::format_utc(*at);
    auto back = ps::parse_timestamp(formatted);
    PS_FUZZ_CHECK(back, "format_utc's output parses");
    PS_FUZZ_CHECK(*back == *at, "parse(format_utc(t)) == t");
  }

  std::vector<ps::ScheduledChange> changes(3);
  changes[0].id = 1;
  changes[0].effective_at = std::string(text.substr(0, text.size() / 2));
  changes[1].id = 2;
  changes[1].effective_at = std::string(text.substr(text.size() / 2));
  changes[2].id = 3;
  changes[2].effective_at = std::string(text);
  auto due = ps::due_changes(changes, system_clock::now());
  PS_FUZZ_CHECK(due.size() <= changes.size(), "due_changes returns at most its input");
  return 0;
}
