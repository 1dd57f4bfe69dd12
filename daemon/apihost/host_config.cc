#include "daemon/apihost/host_config.h"

#include "config/config_files.h"
#include "config/config_ldap.h"
#include "config/config_tokens.h"
#include "config/yaml_reader.h"
#include "daemon/wiring/ldap_settings.h"

namespace ps::apihost {

namespace {

void read_tokens(YamlReader& r, const YAML::Node& node, HostConfig& c) {
  for (auto& t : read_token_list(r, node, "apihost.tokens", "tokens"))
    c.http.tokens.push_back({std::move(t.name), std::move(t.sha256)});
  if (c.http.tokens.empty())
    r.error(node["tokens"], "apihost.tokens", "must list at least one {name, sha256}");
}

void read_file_setting(YamlReader& r, const YAML::Node& node, const std::string& path,
                       const char* key, const std::string& source, std::string& out) {
  r.read_string(node, path, key, out);
  if (out.empty()) return;
  out = resolve_path(source, out);
  if (auto readable = check_readable_file(out); !readable)
    r.error(node[key], path + "." + key, readable.message());
}

void read_endpoint(YamlReader& r, const YAML::Node& root, HostConfig& c) {
  const auto node = r.section(root, "", "apihost");
  r.check_keys(node, "apihost",
               {"listen", "tls_cert", "tls_key", "client_ca", "tokens", "allowed_base_dn",
                "database", "max_body_bytes", "request_timeout_seconds"});
  for (const char* key :
       {"listen", "tls_cert", "tls_key", "client_ca", "tokens", "allowed_base_dn", "database"})
    r.require(node, "apihost", key);
  c.http.listen = "127.0.0.1:8651";
  r.read_string(node, "apihost", "listen", c.http.listen);
  read_file_setting(r, node, "apihost", "tls_cert", c.source, c.http.tls_cert);
  read_file_setting(r, node, "apihost", "tls_key", c.source, c.http.tls_key);
  read_file_setting(r, node, "apihost", "client_ca", c.source, c.http.client_ca);
  r.read_string(node, "apihost", "allowed_base_dn", c.allowed_base_dn);
  if (!c.allowed_base_dn.empty() && c.allowed_base_dn.find('=') == std::string::npos)
    r.error(node["allowed_base_dn"], "apihost.allowed_base_dn",
            "must be a DN such as OU=portal,DC=example,DC=org");
  r.read_string(node, "apihost", "database", c.database);
  if (!c.database.empty()) c.database = resolve_path(c.source, c.database);
  int body = 16 * 1024 * 1024, timeout = 120;
  r.read_int(node, "apihost", "max_body_bytes", body, 1024, 256 * 1024 * 1024);
  r.read_int(node, "apihost", "request_timeout_seconds", timeout, 1, 3600);
  c.http.limits.max_body_bytes = static_cast<std::size_t>(body);
  c.http.limits.request_timeout = std::chrono::seconds(timeout);
  if (YamlReader::has(node, "tokens")) read_tokens(r, node, c);
}

// The API host's default flavor is ad: it exists for Active Directory domains.
void read_directory(YamlReader& r, const YAML::Node& root, HostConfig& c) {
  const auto node = r.section(root, "", "directory");
  r.check_keys(node, "directory",
               {"flavor", "url", "tls", "allow_insecure", "ca_file", "bind_dn",
                "bind_password_file", "page_size", "timeout_seconds"});
  for (const char* key : {"url", "bind_dn", "bind_password_file"})
    r.require(node, "directory", key);
  DirectoryConfig d;
  d.flavor = "ad";
  r.read_choice(node, "directory", "flavor", d.flavor, {"ad", "openldap"});
  read_ldap_connection(r, node, c.source, d, c.warnings);
  c.directory = ldap_settings(d);
}

// The records answer replays; a client retries a key for seconds, so a month is ample
// and keeps the file small. 0 keeps every record.
void read_idempotency(YamlReader& r, const YAML::Node& root, HostConfig& c) {
  const auto node = r.section(root, "", "idempotency");
  r.check_keys(node, "idempotency", {"retain_days"});
  r.read_int(node, "idempotency", "retain_days", c.retain_days, 0, 36500);
}

}  // namespace

Result<HostConfig> load_host_config(const std::string& path) {
  if (auto readable = check_readable_file(path); !readable) return Error{readable.message()};
  HostConfig c;
  c.source = path;
  YamlReader r(path);
  try {
    auto root = YAML::LoadFile(path);
    if (!root.IsMap())
      return Error{path + ": must be a mapping of sections (apihost, directory, idempotency, log)"};
    r.check_keys(root, "", {"apihost", "directory", "idempotency", "log"});
    read_endpoint(r, root, c);
    read_directory(r, root, c);
    read_idempotency(r, root, c);
    const auto log = r.section(root, "", "log");
    r.check_keys(log, "log", {"level"});
    r.read_choice(log, "log", "level", c.log_level,
                  {"debug", "info", "notice", "warning", "error"});
  } catch (const YAML::Exception& e) {
    r.error_at_line(e.mark.line + 1, "", e.msg);
  }
  if (r.has_errors()) return Error{r.error_text()};
  return c;
}

}  // namespace ps::apihost
