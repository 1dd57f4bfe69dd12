// Where the engine reports progress and problems. The daemon maps levels to journald priorities.
#pragma once

#include <string>
#include <string_view>

namespace ps {

enum class LogLevel { debug, info, notice, warning, error };

class Logger {
 public:
  virtual ~Logger() = default;
  // Writes one message. Callers never pass secrets or unmasked national IDs.
  virtual void log(LogLevel level, std::string_view message) = 0;
};

// The message as one line of log text: every control character (a newline, CR, ESC, ...) written
// as an escape ("\n", "\x1b"), so text from outside (a portal row's name inside a rejection
// reason) cannot start a log line of its own or forge a journald priority. Other bytes unchanged.
std::string escape_control_characters(std::string_view message);

class NullLogger : public Logger {
 public:
  void log(LogLevel, std::string_view) override {}
};

}  // namespace ps
