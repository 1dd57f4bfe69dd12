#include "daemon/wiring/stderr_logger.h"

#include <cstdio>
#include <cstdlib>

namespace ps {

namespace {

int syslog_priority(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return 7;
    case LogLevel::info:
      return 6;
    case LogLevel::notice:
      return 5;
    case LogLevel::warning:
      return 4;
    case LogLevel::error:
      return 3;
  }
  return 6;
}

const char* label(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug: ";
    case LogLevel::info:
      return "";
    case LogLevel::notice:
      return "";
    case LogLevel::warning:
      return "warning: ";
    case LogLevel::error:
      return "error: ";
  }
  return "";
}

}  // namespace

StderrLogger::StderrLogger(LogLevel threshold)
    : threshold_(threshold), journal_(std::getenv("JOURNAL_STREAM") != nullptr) {}

void StderrLogger::log(LogLevel level, std::string_view message) {
  if (level < threshold_) return;
  // One message, one line: a newline inside it would start a journal line without (or with a
  // forged) priority prefix.
  auto line = escape_control_characters(message);
  std::lock_guard lock(mutex_);
  if (journal_)
    std::fprintf(stderr, "<%d>%s\n", syslog_priority(level), line.c_str());
  else
    std::fprintf(stderr, "%s%s\n", label(level), line.c_str());
}

LogLevel parse_log_level(std::string_view name) {
  if (name == "debug") return LogLevel::debug;
  if (name == "notice") return LogLevel::notice;
  if (name == "warning") return LogLevel::warning;
  if (name == "error") return LogLevel::error;
  return LogLevel::info;
}

}  // namespace ps
