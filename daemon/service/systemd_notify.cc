#include "daemon/service/systemd_notify.h"

#include <systemd/sd-daemon.h>

namespace ps {

void SystemdNotifier::send(const std::string& state) { sd_notify(0, state.c_str()); }

void SystemdNotifier::ready() { send("READY=1"); }
void SystemdNotifier::status(const std::string& text) { send("STATUS=" + text); }
void SystemdNotifier::watchdog() { send("WATCHDOG=1"); }
void SystemdNotifier::reloading() { send("RELOADING=1"); }
void SystemdNotifier::stopping() { send("STOPPING=1"); }

std::chrono::microseconds SystemdNotifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::chrono::microseconds(0);
  return std::chrono::microseconds(usec / 2);
}

}  // namespace ps
