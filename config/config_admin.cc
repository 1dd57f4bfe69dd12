// The admin section: where portalsyncd's HTTP endpoint listens, its TLS files, its tokens (by
// name and SHA-256 hash) and limits. The server checks the address and files again when it
// starts; here the shape is checked so a reload can refuse a broken file.
#include "config/config_files.h"
#include "config/config_sections.h"
#include "config/config_tokens.h"

namespace ps {

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
  a.tokens = read_token_list(r, node, "admin.tokens", "tokens");
}

}  // namespace ps
