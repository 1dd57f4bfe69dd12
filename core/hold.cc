#include "core/hold.h"

#include <array>
#include <utility>

namespace ps {

namespace {

constexpr std::array<std::pair<HoldState, std::string_view>, 5> kNames = {{
    {HoldState::held, "held"},
    {HoldState::approved, "approved"},
    {HoldState::released, "released"},
    {HoldState::expired, "expired"},
    {HoldState::rejected, "rejected"},
}};

}  // namespace

std::string_view to_string(HoldState s) {
  for (const auto& [state, name] : kNames)
    if (state == s) return name;
  return "held";
}

std::optional<HoldState> parse_hold_state(std::string_view s) {
  for (const auto& [state, name] : kNames)
    if (name == s) return state;
  return std::nullopt;
}

}  // namespace ps
