// Log lines on stderr. Under systemd (JOURNAL_STREAM set) each line starts with the sd-daemon
// priority prefix ("<6>") so journald records the level; on a terminal the level is spelled out.
#pragma once

#include <atomic>
#include <mutex>
#include <string_view>

#include "core/log.h"

namespace ps {

class StderrLogger : public Logger {
 public:
  explicit StderrLogger(LogLevel threshold = LogLevel::info);
  void log(LogLevel level, std::string_view message) override;
  void set_threshold(LogLevel level) { threshold_ = level; }

 private:
  std::atomic<LogLevel> threshold_;  // set on a reload while other threads log
  bool journal_;
  std::mutex mutex_;
};

// "debug" ... "error"; anything else is info.
LogLevel parse_log_level(std::string_view name);

}  // namespace ps
