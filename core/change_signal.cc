#include "core/change_signal.h"

#include <algorithm>
#include <utility>

#include "core/enum_names.h"

namespace ps {

namespace {

constexpr std::pair<WakeupMode, std::string_view> kModeNames[] = {
    {WakeupMode::polling, "polling"},
    {WakeupMode::listening, "listening"},
};

}  // namespace

std::string_view to_string(WakeupMode mode) { return name_in(kModeNames, mode); }

std::chrono::milliseconds journal_poll_interval(WakeupMode mode, std::chrono::milliseconds poll,
                                                std::chrono::milliseconds safety_net) {
  return mode == WakeupMode::listening ? std::max(poll, safety_net) : poll;
}

}  // namespace ps
