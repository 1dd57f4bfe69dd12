// Counters the admin server keeps for the daemon's /metrics. Updated and read on the event loop's
// thread only, so plain integers are enough.
#pragma once

#include <array>
#include <cstdint>

namespace ps::admin {

struct AdminMetrics {
  // Responses sent, by status class: [1] = 1xx ... [5] = 5xx ([0] unused).
  std::array<std::uint64_t, 6> responses_by_class{};
  std::uint64_t open_connections = 0;
  std::uint64_t connections_accepted = 0;   // all of them, including refused ones
  std::uint64_t connections_refused = 0;    // every place busy: got 503 or were closed
  std::uint64_t connections_evicted = 0;    // idle ones closed to make room for a new one
  std::uint64_t connections_timed_out = 0;  // closed because a client was too slow or idle

  void count_response(int status) {
    if (status >= 100 && status < 600) ++responses_by_class[status / 100];
  }
};

}  // namespace ps::admin
