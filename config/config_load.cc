// load_config: the configuration keys, their defaults and the checks that need no network.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace ps {

namespace {

namespace fs = std::filesystem;

// Relative paths in the file are relative to the file, not to wherever the tool was started.
std::string resolve(const std::string& config_path, const std::string& value) {
  if (value.empty() || fs::path(value).is_absolute()) return value;
  return (fs::absolute(config_path).parent_path() / value).lexically_normal().string();
}

void read_portal(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "portal");
  if (!node) return r.error_at_line(0, "portal.database", "is required");
  r.check_keys(node, "portal", {"database"});
  r.read_string(node, "portal", "database", c.portal.database);
  const auto& db = c.portal.database;
  if (!node["database"])
    r.error(node, "portal.database", "is required");
  else if (db.rfind("sqlite3://", 0) != 0 && db.rfind("postgresql://", 0) != 0)
    r.error(node["database"], "portal.database",
            "must be a SOCI connection string starting with sqlite3:// or postgresql://");
}

void read_secret(YamlReader& r, const YAML::Node& node, Config& c) {
  auto& d = c.directory;
  d.bind_password_file = resolve(c.source, d.bind_password_file);
  std::ifstream in(d.bind_password_file);
  if (!in) {
    r.error(node["bind_password_file"], "directory.bind_password_file",
            "cannot read " + d.bind_password_file);
    return;
  }
  std::getline(in, d.bind_password);
  if (!d.bind_password.empty() && d.bind_password.back() == '\r') d.bind_password.pop_back();
  if (d.bind_password.empty())
    r.error(node["bind_password_file"], "directory.bind_password_file",
            d.bind_password_file + " is empty");
  struct stat st {};
  if (stat(d.bind_password_file.c_str(), &st) == 0 && (st.st_mode & 077))
    c.warnings.push_back(d.bind_password_file +
                         " can be read by other users; chmod 600 it (it holds the bind password)");
}

void check_directory(YamlReader& r, const YAML::Node& node, Config& c) {
  auto& d = c.directory;
  for (const char* key : {"url", "bind_dn", "bind_password_file", "base_dn"})
    if (!node[key]) r.error(node, std::string("directory.") + key, "is required");
  if (node["url"] && d.url.rfind("ldap://", 0) != 0 && d.url.rfind("ldaps://", 0) != 0)
    r.error(node["url"], "directory.url",
            "must start with ldap:// or ldaps:// (got \"" + d.url + "\")");
  if (node["base_dn"] && d.base_dn.find('=') == std::string::npos)
    r.error(node["base_dn"], "directory.base_dn",
            "must be a DN such as ou=portal,dc=example,dc=org");
  if (d.tls == TlsMode::none && !d.allow_insecure)
    r.error(node["tls"], "directory.tls",
            "none sends passwords in clear text; use starttls or ldaps, or set "
            "directory.allow_insecure: true for a test directory on loopback");
  if (d.tls == TlsMode::ldaps && d.url.rfind("ldaps://", 0) != 0)
    r.error(node["tls"], "directory.tls", "ldaps needs an ldaps:// url");
  if (d.tls == TlsMode::starttls && d.url.rfind("ldap://", 0) != 0)
    r.error(node["tls"], "directory.tls", "starttls needs an ldap:// url");
  if (!d.ca_file.empty()) {
    d.ca_file = resolve(c.source, d.ca_file);
    if (!std::ifstream(d.ca_file))
      r.error(node["ca_file"], "directory.ca_file", "cannot read " + d.ca_file);
  }
  if (node["bind_password_file"]) read_secret(r, node, c);
  if (d.connector == "apihost")
    r.error(node["connector"], "directory.connector", "apihost is not available in this version");
}

void read_directory(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "directory");
  if (!node) return r.error_at_line(0, "directory", "is required");
  r.check_keys(node, "directory",
               {"connector", "flavor", "url", "tls", "allow_insecure", "ca_file", "bind_dn",
                "bind_password_file", "base_dn", "page_size", "timeout_seconds",
                "national_id_attribute", "upn_suffix", "groups_dn", "bind_password"});
  if (node["bind_password"])
    r.error(node["bind_password"], "directory.bind_password",
            "put the password in a file and name it in directory.bind_password_file");
  auto& d = c.directory;
  r.read_choice(node, "directory", "connector", d.connector, {"ldap", "apihost"});
  r.read_choice(node, "directory", "flavor", d.flavor, {"openldap", "ad"});
  r.read_string(node, "directory", "url", d.url);
  std::string tls = "starttls";
  r.read_choice(node, "directory", "tls", tls, {"starttls", "ldaps", "none"});
  d.tls = tls == "ldaps" ? TlsMode::ldaps : tls == "none" ? TlsMode::none : TlsMode::starttls;
  r.read_bool(node, "directory", "allow_insecure", d.allow_insecure);
  r.read_string(node, "directory", "ca_file", d.ca_file);
  r.read_string(node, "directory", "bind_dn", d.bind_dn);
  r.read_string(node, "directory", "bind_password_file", d.bind_password_file);
  r.read_string(node, "directory", "base_dn", d.base_dn);
  r.read_int(node, "directory", "page_size", d.page_size, 1, 5000);
  r.read_int(node, "directory", "timeout_seconds", d.timeout_seconds, 1, 600);
  r.read_string(node, "directory", "national_id_attribute", d.national_id_attribute);
  r.read_string(node, "directory", "upn_suffix", d.upn_suffix);
  r.read_string(node, "directory", "groups_dn", d.groups_dn);
  check_directory(r, node, c);
}

void read_sync(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "sync");
  if (!node) return;
  r.check_keys(
      node, "sync",
      {"window", "interval_seconds", "max_disables", "max_disable_percent", "guard_floor"});
  r.read_int(node, "sync", "window", c.sync.window, 1, 1024);
  r.read_int(node, "sync", "interval_seconds", c.sync.interval_seconds, 1, 86400);
  r.read_int(node, "sync", "max_disables", c.sync.max_disables, 0, 10000000);
  r.read_int(node, "sync", "max_disable_percent", c.sync.max_disable_percent, 0, 100);
  r.read_int(node, "sync", "guard_floor", c.sync.guard_floor, 0, 10000000);
}

void read_policies(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "policies");
  if (!node) return;
  r.check_keys(node, "policies", {"idle_disable"});
  auto idle = r.section(node, "policies", "idle_disable");
  if (!idle) return;
  const std::string path = "policies.idle_disable";
  r.check_keys(
      idle, path,
      {"enabled", "after_days", "warn_days", "exempt_roles", "exempt_usernames", "exempt_units"});
  auto& p = c.policies.idle_disable;
  r.read_bool(idle, path, "enabled", p.enabled);
  r.read_int(idle, path, "after_days", p.after_days, 1, 3650);
  r.read_int(idle, path, "warn_days", p.warn_days, 0, 365);
  r.read_list(idle, path, "exempt_roles", p.exempt_roles);
  r.read_list(idle, path, "exempt_usernames", p.exempt_usernames);
  r.read_list(idle, path, "exempt_units", p.exempt_units);
  for (const auto& role : p.exempt_roles)
    if (role != "user" && role != "agency_admin" && role != "system_admin")
      r.error(idle["exempt_roles"], path + ".exempt_roles",
              "\"" + role + "\" is not one of user, agency_admin, system_admin");
}

void read_log(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "log");
  if (!node) return;
  r.check_keys(node, "log", {"level"});
  r.read_choice(node, "log", "level", c.log.level, {"debug", "info", "notice", "warning", "error"});
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  Config c;
  c.source = path;
  YAML::Node root;
  try {
    std::ifstream in(path);
    if (!in) return Result<Config>::failure(path + ": cannot read the configuration file");
    root = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    return Result<Config>::failure(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap())
    return Result<Config>::failure(path +
                                   ": must be a mapping of sections (portal, directory, ...)");
  YamlReader r(path);
  try {
    r.check_keys(root, "", {"portal", "directory", "sync", "policies", "log"});
    read_portal(r, root, c);
    read_directory(r, root, c);
    read_sync(r, root, c);
    read_policies(r, root, c);
    read_log(r, root, c);
  } catch (const YAML::Exception& e) {
    r.error_at_line(e.mark.line + 1, "", e.msg);
  }
  if (!r.errors().empty()) {
    std::string all;
    for (const auto& e : r.errors()) all += (all.empty() ? "" : "\n") + e;
    return Result<Config>::failure(all);
  }
  return c;
}

}  // namespace ps
