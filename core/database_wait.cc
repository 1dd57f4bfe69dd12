#include "core/database_wait.h"

#include <algorithm>

namespace ps {

std::string_view to_string(DatabaseState state) {
  switch (state) {
    case DatabaseState::available:
      return "available";
    case DatabaseState::unavailable:
      return "unavailable";
    case DatabaseState::refused:
      return "refused";
    case DatabaseState::connecting:
      break;
  }
  return "connecting";
}

RetryPolicy database_retry_policy(StatusCode code) {
  using std::chrono::seconds;
  if (code == StatusCode::refused) return {seconds(30), seconds(300)};
  return {seconds(1), seconds(60)};
}

void DatabaseWait::failed(StatusCode code, std::string error) {
  state = code == StatusCode::refused ? DatabaseState::refused : DatabaseState::unavailable;
  last_error = std::move(error);
  ++attempts;
}

std::chrono::milliseconds DatabaseWait::next_delay(double jitter) const {
  auto code = state == DatabaseState::refused ? StatusCode::refused : StatusCode::unavailable;
  return retry_delay(database_retry_policy(code), std::max(attempts, 1), jitter);
}

void DatabaseWait::answered() {
  state = DatabaseState::available;
  last_error.clear();
  attempts = 0;
  next_retry_at.clear();
}

}  // namespace ps
