// How portalsyncd hears that the portal's change journal moved. Where the database can tell
// (PostgreSQL: the journal triggers NOTIFY, delivered when the writing transaction commits), a
// signal wakes the daemon within milliseconds and the journal poll is only a safety net; where it
// cannot (SQLite, MariaDB) the poll is all there is (docs/operations.md: Change journal).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace ps {

// Whether the daemon is being told of commits now, or has to find them by polling.
enum class WakeupMode { polling, listening };
std::string_view to_string(WakeupMode mode);

class ChangeSignal {
 public:
  struct Listener {
    // A transaction that wrote the journal committed; also right after listening (re)starts, for
    // what was committed while nobody listened.
    std::function<void()> changed;
    // Listening began, or was lost (`why` says how; the signal keeps trying to listen again).
    std::function<void(WakeupMode mode, const std::string& why)> mode;
  };

  virtual ~ChangeSignal() = default;
  // Starts listening in the background. The listener is called from the signal's own thread.
  virtual void start(Listener listener) = 0;
  // Stops listening; once it returns, the listener is not called again.
  virtual void stop() = 0;
};

// The poll alone, for databases that cannot tell: never calls its listener.
class NoChangeSignal : public ChangeSignal {
 public:
  void start(Listener) override {}
  void stop() override {}
};

// How long until the journal is polled again: `poll` (daemon.poll_interval_ms) when polling;
// while listening, the poll is a safety net for a notification lost on the way, so it waits the
// longer of `poll` and `safety_net` (daemon.listen_poll_interval_ms).
std::chrono::milliseconds journal_poll_interval(WakeupMode mode, std::chrono::milliseconds poll,
                                                std::chrono::milliseconds safety_net);

}  // namespace ps
