// Tells systemd what the daemon is doing (sd_notify): READY=1 once the directory answered,
// STATUS= lines, WATCHDOG=1 from the event loop, RELOADING=1 / STOPPING=1. Without
// NOTIFY_SOCKET (run by hand) every call does nothing.
#pragma once

#include <chrono>
#include <string>

namespace ps {

class SystemdNotifier {
 public:
  void ready();
  void status(const std::string& text);
  void watchdog();
  void reloading();
  void stopping();
  // Half the WatchdogSec= systemd set, or zero when the watchdog is off.
  std::chrono::microseconds watchdog_interval() const;

 private:
  void send(const std::string& state);
};

}  // namespace ps
