// The small sections: portal, sync, policies, audit and log (directory has its own file).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

#include "config/config_files.h"
#include "config/config_sections.h"

namespace ps {

namespace {

constexpr int kNoLimit = std::numeric_limits<int>::max();
constexpr int kMaxIntervalSeconds = 86400;

// What is wrong with a connection string, or "". The string is not quoted back: a server's
// may hold a password.
std::string database_problem(const std::string& db) {
  if (!db.starts_with("sqlite3://") && !db.starts_with("postgresql://") &&
      !db.starts_with("mysql://"))
    return "must be a SOCI connection string starting with sqlite3://, postgresql:// or mysql://";
  if (db == "sqlite3://" || db == "postgresql://" || db == "mysql://") return "names no database";
  // SOCI's mysql backend also takes pass=.
  static const std::regex password("(^|[ /])pass(word)?=", std::regex::icase);
  bool mysql = db.starts_with("mysql://");
  if (std::regex_search(db, password))
    return mysql ? "must not hold a password; put it in a MariaDB option file and name it with "
                   "option_file=FILE"
                 : "must not hold a password; put it in a file and name it with passfile=FILE";
  return "";
}

}  // namespace

void read_portal(YamlReader& r, const YAML::Node& root, Config& c) {
  const auto node = r.section(root, "", "portal");
  if (YamlReader::has(root, "portal") && !root["portal"].IsMap()) return;  // reported
  r.check_keys(node, "portal", {"database"});
  r.require(node, "portal", "database");
  r.read_string(node, "portal", "database", c.portal.database);
  if (c.portal.database.empty()) return;
  if (auto problem = database_problem(c.portal.database); !problem.empty())
    return r.error(node["database"], "portal.database", problem);
  c.portal.database = resolve_database(c.source, c.portal.database);
}

void read_sync(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "sync");
  r.check_keys(node, "sync",
               {"window", "interval_seconds", "max_disables", "max_disable_percent", "guard_floor",
                "quarantine_after"});
  auto& s = c.sync;
  r.read_int(node, "sync", "window", s.window, 1, 1024);
  // A day at most: longer is surely a unit mistake, and portalsyncd counts it in tenths.
  r.read_int(node, "sync", "interval_seconds", s.interval_seconds, 1, kMaxIntervalSeconds);
  r.read_int(node, "sync", "max_disables", s.max_disables, 0, kNoLimit);
  r.read_int(node, "sync", "max_disable_percent", s.max_disable_percent, 0, 100);
  r.read_int(node, "sync", "guard_floor", s.guard_floor, 0, kNoLimit);
  r.read_int(node, "sync", "quarantine_after", s.quarantine_after, 0, 1000);
}

void read_policies(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "policies");
  r.check_keys(node, "policies", {"idle_disable"});
  const std::string path = "policies.idle_disable";
  auto idle = r.section(node, "policies", "idle_disable");
  r.check_keys(
      idle, path,
      {"enabled", "after_days", "warn_days", "exempt_roles", "exempt_usernames", "exempt_units"});
  auto& p = c.policies.idle_disable;
  r.read_bool(idle, path, "enabled", p.enabled);
  r.read_int(idle, path, "after_days", p.after_days, 1, 3650);
  r.read_int(idle, path, "warn_days", p.warn_days, 0, 365);
  r.read_list(idle, path, "exempt_roles", p.exempt_roles);
  r.read_list(idle, path, "exempt_usernames", p.exempt_usernames);
  r.read_list(idle, path, "exempt_units", p.exempt_unit_codes);
  for (const auto& role : p.exempt_roles)
    if (role != "user" && role != "agency_admin" && role != "system_admin")
      r.error(idle["exempt_roles"], path + ".exempt_roles",
              "\"" + role + "\" is not one of user, agency_admin, system_admin");
}

void read_log(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "log");
  r.check_keys(node, "log", {"level"});
  r.read_choice(node, "log", "level", c.log.level, {"debug", "info", "notice", "warning", "error"});
}

void read_audit(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "audit");
  r.check_keys(node, "audit", {"retain_days", "export_dir", "key_file", "anchor_interval_seconds"});
  auto& a = c.audit;
  r.read_int(node, "audit", "retain_days", a.retain_days, 0, 36500);
  r.read_int(node, "audit", "anchor_interval_seconds", a.anchor_interval_seconds, 0, 604800);
  r.read_string(node, "audit", "export_dir", a.export_dir);
  r.read_string(node, "audit", "key_file", a.key_file);
  a.export_dir = resolve_path(c.source, a.export_dir);
  a.key_file = resolve_path(c.source, a.key_file);
  if (a.retain_days > 0 && a.export_dir.empty())
    r.error(node["retain_days"], "audit.retain_days",
            "needs audit.export_dir: records are exported before they are pruned");
  if (a.retain_days > 0 && a.key_file.empty())
    r.error(node["retain_days"], "audit.retain_days",
            "needs audit.key_file: the checkpoint a prune leaves is signed with it");
  // A path the file system cannot even look at (too long, a directory we may not search) is not
  // "missing": reading it below names the file as unreadable.
  std::error_code unlookable;
  if (!a.key_file.empty() && !std::filesystem::exists(a.key_file, unlookable) && !unlookable) {
    // `portalsync db init -c FILE` creates it; until then nothing is sealed with a key.
    a.key_missing = true;
    c.warnings.push_back("audit.key_file: " + a.key_file +
                         " does not exist yet; `portalsync db init -c " + c.source +
                         "` creates it");
  } else if (!a.key_file.empty()) {
    std::ifstream in(a.key_file);
    std::getline(in, a.key);
    if (a.key.size() < 16)
      r.error(node["key_file"], "audit.key_file",
              "cannot read " + a.key_file + ", or it holds fewer than 16 characters");
  }
}

}  // namespace ps
