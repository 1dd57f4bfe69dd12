// Where the engine reports progress and problems. The daemon maps levels to journald priorities.
#pragma once

#include <string_view>

namespace ps {

enum class LogLevel { debug, info, notice, warning, error };

class Logger {
 public:
  virtual ~Logger() = default;
  // Writes one message. Callers never pass secrets or unmasked national IDs.
  virtual void log(LogLevel level, std::string_view message) = 0;
};

class NullLogger : public Logger {
 public:
  void log(LogLevel, std::string_view) override {}
};

}  // namespace ps
