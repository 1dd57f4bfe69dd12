// directory.posix: POSIX identities for Linux hosts (core/posix.h). The section's presence turns
// them on; every key has a default.
#include <algorithm>

#include "config/config_sections.h"

namespace ps {

namespace {

const std::string kPath = "directory.posix";

// Numbers below are the system's own accounts and groups on a Debian host.
constexpr int kLowestNumber = 1000;
constexpr int kHighestNumber = 2147483647;

// A range without its maximum is as wide as the default one, from its minimum on.
void read_range(YamlReader& r, const YAML::Node& node, const char* min_key, const char* max_key,
                std::int64_t& min, std::int64_t& max) {
  int low = static_cast<int>(min);
  r.read_int(node, kPath, min_key, low, kLowestNumber, kHighestNumber);
  int high = static_cast<int>(std::min<std::int64_t>(low + (max - min), kHighestNumber));
  r.read_int(node, kPath, max_key, high, kLowestNumber, kHighestNumber);
  if (low > high)
    return r.error(node[max_key], kPath + "." + max_key,
                   "must not be below " + kPath + "." + min_key + " (" + std::to_string(low) + ")");
  min = low;
  max = high;
}

void check_paths(YamlReader& r, const YAML::Node& node, const PosixOptions& p) {
  if (p.home_directory.empty() || p.home_directory.front() != '/' ||
      p.home_directory.find("{username}") == std::string::npos)
    r.error(node["home_directory"], kPath + ".home_directory",
            "must be an absolute path with {username} in it, such as /home/{username} (got \"" +
                p.home_directory + "\")");
  if (p.login_shell.empty() || p.login_shell.front() != '/')
    r.error(node["login_shell"], kPath + ".login_shell",
            "must be an absolute path such as /bin/bash (got \"" + p.login_shell + "\")");
}

}  // namespace

void read_posix(YamlReader& r, const YAML::Node& directory, PosixOptions& out) {
  if (!directory["posix"]) return;
  const auto node = r.section(directory, "directory", "posix");
  r.check_keys(node, kPath,
               {"uid_min", "uid_max", "gid_min", "gid_max", "primary_gid", "primary_group",
                "home_directory", "login_shell"});
  PosixOptions p;
  p.enabled = true;
  read_range(r, node, "uid_min", "uid_max", p.uid_min, p.uid_max);
  read_range(r, node, "gid_min", "gid_max", p.gid_min, p.gid_max);
  int primary = static_cast<int>(p.primary_gid);
  r.read_int(node, kPath, "primary_gid", primary, 1, kHighestNumber);
  p.primary_gid = primary;
  if (p.primary_gid >= p.gid_min && p.primary_gid <= p.gid_max)
    r.error(node["primary_gid"], kPath + ".primary_gid",
            "must lie outside gid_min-gid_max (" + std::to_string(p.gid_min) + "-" +
                std::to_string(p.gid_max) + "), where the entitlement groups' numbers come from");
  r.read_string(node, kPath, "primary_group", p.primary_group);
  if (node["primary_group"] && !directory["groups_dn"])
    r.error(node["primary_group"], kPath + ".primary_group",
            "needs directory.groups_dn, where the group entry is kept");
  r.read_string(node, kPath, "home_directory", p.home_directory);
  r.read_string(node, kPath, "login_shell", p.login_shell);
  check_paths(r, node, p);
  out = std::move(p);
}

}  // namespace ps
