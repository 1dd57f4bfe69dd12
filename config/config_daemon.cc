// The daemon section: journal polling, the daily idle-disable time and its zone, retry backoff.
#include <filesystem>

#include "config/config_sections.h"

namespace ps {

namespace {

// "HH:MM" as minutes after midnight, or -1.
int parse_time_of_day(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (int i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return -1;
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return -1;
  return hours * 60 + minutes;
}

// A zone name is only usable when the system's tz database has it (package tzdata).
bool known_timezone(const std::string& zone) {
  if (zone.empty() || zone.find("..") != std::string::npos || zone.front() == '/') return false;
  // The non-throwing form: a name the file system refuses (too long, say) is simply unknown.
  std::error_code ignored;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ignored);
}

}  // namespace

void read_daemon(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "daemon");
  r.check_keys(node, "daemon",
               {"poll_interval_ms", "listen_poll_interval_ms", "idle_disable_at", "timezone",
                "retry_initial_seconds", "retry_max_seconds", "lease_seconds"});
  auto& d = c.daemon;
  r.read_int(node, "daemon", "poll_interval_ms", d.poll_interval_ms, 50, 60000);
  r.read_int(node, "daemon", "listen_poll_interval_ms", d.listen_poll_interval_ms, 50, 600000);
  r.read_string(node, "daemon", "idle_disable_at", d.idle_disable_at);
  r.read_string(node, "daemon", "timezone", d.timezone);
  r.read_int(node, "daemon", "retry_initial_seconds", d.retry_initial_seconds, 1, 3600);
  r.read_int(node, "daemon", "retry_max_seconds", d.retry_max_seconds, 1, 86400);
  r.read_int(node, "daemon", "lease_seconds", d.lease_seconds, 3, 120);
  d.idle_disable_minutes = parse_time_of_day(d.idle_disable_at);
  if (d.idle_disable_minutes < 0)
    r.error(node["idle_disable_at"], "daemon.idle_disable_at",
            "must be a time of day HH:MM (got \"" + d.idle_disable_at + "\")");
  if (!known_timezone(d.timezone))
    r.error(node["timezone"], "daemon.timezone",
            "\"" + d.timezone + "\" is not a time zone of the system's tz database (tzdata)");
  if (d.retry_max_seconds < d.retry_initial_seconds)
    r.error(node["retry_max_seconds"], "daemon.retry_max_seconds",
            "must not be below retry_initial_seconds");
}

}  // namespace ps
