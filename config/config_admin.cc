// The admin section: where portalsyncd's HTTP endpoint listens, its TLS files, its tokens (by
// name and SHA-256 hash) and limits. The server checks the address and files again when it
// starts; here the shape is checked so a reload can refuse a broken file.
#include <arpa/inet.h>

#include <cstring>
#include <set>

#include "config/config_files.h"
#include "config/config_sections.h"
#include "config/config_tokens.h"

namespace ps {

namespace {

// The limits were flat keys of `admin` before `admin.limits` existed; those still load, with a
// warning that names the new key.
constexpr const char* kFlatLimits[] = {"max_body_bytes", "max_connections",
                                       "request_timeout_seconds"};

struct LimitKey {
  const char* key;
  int AdminLimitsConfig::*field;
  int min, max;
};

constexpr LimitKey kLimitKeys[] = {
    {"max_header_bytes", &AdminLimitsConfig::max_header_bytes, 512, 1024 * 1024},
    {"max_body_bytes", &AdminLimitsConfig::max_body_bytes, 1024, 16 * 1024 * 1024},
    {"header_timeout_seconds", &AdminLimitsConfig::header_timeout_seconds, 1, 300},
    {"request_timeout_seconds", &AdminLimitsConfig::request_timeout_seconds, 1, 3600},
    {"idle_timeout_seconds", &AdminLimitsConfig::idle_timeout_seconds, 1, 3600},
    {"max_connections", &AdminLimitsConfig::max_connections, 1, 10000},
    {"max_connections_per_address", &AdminLimitsConfig::max_connections_per_address, 1, 10000},
};

void read_limits(YamlReader& r, const YAML::Node& admin, Config& c) {
  auto& limits = c.admin.limits;
  const auto node = r.section(admin, "admin", "limits");
  std::set<std::string> known;
  for (const auto& k : kLimitKeys) known.insert(k.key);
  r.check_keys(node, "admin.limits", known);
  for (const auto& k : kLimitKeys)
    r.read_int(node, "admin.limits", k.key, limits.*k.field, k.min, k.max);
  for (const char* flat : kFlatLimits) {
    if (!YamlReader::has(admin, flat)) continue;
    if (YamlReader::has(node, flat)) {
      r.error(admin[flat], std::string("admin.") + flat,
              std::string("is also set as admin.limits.") + flat + "; keep only that one");
      continue;
    }
    for (const auto& k : kLimitKeys)
      if (std::strcmp(k.key, flat) == 0)
        r.read_int(admin, "admin", flat, limits.*k.field, k.min, k.max);
    c.warnings.push_back(c.source + ":" + std::to_string(r.key_line(std::string("admin.") + flat)) +
                         ": admin." + flat + " is deprecated: move it to admin.limits." + flat);
  }
}

// 127.0.0.0/8 or ::1. Anything else, including what is not an IP address (the server names that
// error when it starts), counts as reachable from other machines.
bool loopback_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned char v4[4], v6[16];
  if (inet_pton(AF_INET, host.c_str(), v4) == 1) return v4[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), v6) == 1)
    return std::memcmp(v6, &in6addr_loopback, sizeof v6) == 0;
  return false;
}

void check_transport(YamlReader& r, const YAML::Node& node, Config& c) {
  const auto& a = c.admin;
  if (!a.enabled || !a.tls_cert.empty() || loopback_listen(a.listen)) return;
  if (!a.allow_insecure_listen) {
    return r.error(node["listen"], "admin.listen",
                   a.listen +
                       " is not a loopback address and TLS is off: tokens and passwords would "
                       "cross the network in clear text; set admin.tls_cert and admin.tls_key, "
                       "listen on 127.0.0.1, or set admin.allow_insecure_listen: true");
  }
  c.warnings.push_back(c.source + ":" + std::to_string(r.key_line("admin.allow_insecure_listen")) +
                       ": admin.allow_insecure_listen: the admin API listens on " + a.listen +
                       " over plain HTTP; bearer tokens and passwords cross the network in "
                       "clear text");
}

}  // namespace

void read_admin(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "admin");
  r.check_keys(node, "admin",
               {"enabled", "listen", "tls_cert", "tls_key", "allow_insecure_listen", "tokens",
                "limits", "max_body_bytes", "max_connections", "request_timeout_seconds"});
  auto& a = c.admin;
  r.read_bool(node, "admin", "enabled", a.enabled);
  r.read_string(node, "admin", "listen", a.listen);
  r.read_string(node, "admin", "tls_cert", a.tls_cert);
  r.read_string(node, "admin", "tls_key", a.tls_key);
  r.read_bool(node, "admin", "allow_insecure_listen", a.allow_insecure_listen);
  read_limits(r, node, c);
  if (a.tls_cert.empty() != a.tls_key.empty())
    r.error(node, "admin", "tls_cert and tls_key go together: set both or neither");
  if (!a.tls_cert.empty()) a.tls_cert = resolve_path(c.source, a.tls_cert);
  if (!a.tls_key.empty()) a.tls_key = resolve_path(c.source, a.tls_key);
  check_transport(r, node, c);
  a.tokens = read_token_list(r, node, "admin.tokens", "tokens", TokenRoles::allowed);
  for (std::size_t i = 0; i < a.tokens.size(); ++i) {
    if (a.tokens[i].role) continue;
    auto where = "admin.tokens[" + std::to_string(i) + "]";
    c.warnings.push_back(c.source + ":" + std::to_string(r.key_line(where + ".name")) + ": " +
                         where + " (" + a.tokens[i].name +
                         ") has no role and acts as admin; give it one (" +
                         std::string(token_role_names()) +
                         "): tokens without a role are refused from the next release");
  }
}

}  // namespace ps
