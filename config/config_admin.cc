// The admin section: where portalsyncd's HTTP endpoint listens, its TLS files, its tokens (by
// name and SHA-256 hash) and limits. The server checks the address and files again when it
// starts; here the shape is checked so a reload can refuse a broken file.
#include <algorithm>
#include <cctype>
#include <set>

#include "config/config_files.h"
#include "config/config_sections.h"

namespace ps {

namespace {

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](unsigned char ch) {
           return std::isdigit(ch) || (ch >= 'a' && ch <= 'f');
         });
}

void read_tokens(YamlReader& r, const YAML::Node& node, AdminConfig& a) {
  const std::string path = "admin.tokens";
  if (!YamlReader::has(node, "tokens")) return;
  const auto list = node["tokens"];
  if (!list.IsSequence()) return r.error(list, path, "must be a list of {name, sha256}");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto item = list[i];
    auto where = path + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) {
      r.error(item, where, "must be a mapping with name and sha256");
      continue;
    }
    r.check_keys(item, where, {"name", "sha256"});
    AdminTokenConfig t;
    r.read_string(item, where, "name", t.name);
    r.read_string(item, where, "sha256", t.sha256);
    if (t.name.empty()) r.error(item, where + ".name", "must not be empty");
    if (!names.insert(t.name).second)
      r.error(item, where + ".name", "\"" + t.name + "\" is used twice");
    if (!is_sha256_hex(t.sha256))
      r.error(item, where + ".sha256",
              "must be the SHA-256 of the token as 64 lower-case hex digits (printf '%s' TOKEN | "
              "sha256sum), never the token itself");
    a.tokens.push_back(std::move(t));
  }
}

}  // namespace

void read_admin(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "admin");
  r.check_keys(node, "admin",
               {"enabled", "listen", "tls_cert", "tls_key", "tokens", "max_body_bytes",
                "max_connections", "request_timeout_seconds"});
  auto& a = c.admin;
  r.read_bool(node, "admin", "enabled", a.enabled);
  r.read_string(node, "admin", "listen", a.listen);
  r.read_string(node, "admin", "tls_cert", a.tls_cert);
  r.read_string(node, "admin", "tls_key", a.tls_key);
  r.read_int(node, "admin", "max_body_bytes", a.max_body_bytes, 1024, 16 * 1024 * 1024);
  r.read_int(node, "admin", "max_connections", a.max_connections, 1, 10000);
  r.read_int(node, "admin", "request_timeout_seconds", a.request_timeout_seconds, 1, 3600);
  if (a.tls_cert.empty() != a.tls_key.empty())
    r.error(node, "admin", "tls_cert and tls_key go together: set both or neither");
  if (!a.tls_cert.empty()) a.tls_cert = resolve_path(c.source, a.tls_cert);
  if (!a.tls_key.empty()) a.tls_key = resolve_path(c.source, a.tls_key);
  read_tokens(r, node, a);
}

}  // namespace ps
