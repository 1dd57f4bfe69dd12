// The directory section: where the directory is, how to reach it safely, how to bind, and which
// subtree portalsync manages. Also reads the bind password from its file.
#include <algorithm>
#include <cctype>

#include "config/config_files.h"
#include "config/config_sections.h"

namespace ps {

namespace {

const char* const kSection = "directory";

// Checked by hand below rather than reported as unknown, to say where the password belongs.
constexpr const char* kInlinePassword = "bind_password";

bool looks_like_dn(const std::string& text) { return text.find('=') != std::string::npos; }

// An LDAP attribute description: a name (letter, then letters, digits, '-') or a numeric OID.
bool looks_like_attribute(const std::string& text) {
  auto is_name_char = [](unsigned char ch) { return std::isalnum(ch) || ch == '-'; };
  auto is_oid_char = [](unsigned char ch) { return std::isdigit(ch) || ch == '.'; };
  if (text.empty()) return false;
  if (std::isalpha(static_cast<unsigned char>(text[0])))
    return std::all_of(text.begin(), text.end(), is_name_char);
  return std::all_of(text.begin(), text.end(), is_oid_char);
}

void read_values(YamlReader& r, const YAML::Node& node, DirectoryConfig& d) {
  r.read_choice(node, kSection, "connector", d.connector, {"ldap", "apihost"});
  r.read_choice(node, kSection, "flavor", d.flavor, {"openldap", "ad"});
  r.read_string(node, kSection, "url", d.url);
  r.read_bool(node, kSection, "allow_insecure", d.allow_insecure);
  r.read_string(node, kSection, "ca_file", d.ca_file);
  r.read_string(node, kSection, "bind_dn", d.bind_dn);
  r.read_string(node, kSection, "bind_password_file", d.bind_password_file);
  r.read_string(node, kSection, "base_dn", d.base_dn);
  r.read_int(node, kSection, "page_size", d.page_size, 1, 5000);
  r.read_int(node, kSection, "timeout_seconds", d.timeout_seconds, 1, 600);
  r.read_string(node, kSection, "national_id_attribute", d.national_id_attribute);
  r.read_string(node, kSection, "upn_suffix", d.upn_suffix);
  r.read_string(node, kSection, "groups_dn", d.groups_dn);
  r.read_bool(node, kSection, "disabled_leave_groups", d.disabled_leave_groups);
  r.read_string(node, kSection, "lock_policy_dn", d.lock_policy_dn);
}

// tls defaults to what the url implies: ldaps for ldaps://, starttls otherwise. An explicit value
// must agree with the url, and plain LDAP needs an explicit opt-in.
void read_tls(YamlReader& r, const YAML::Node& node, DirectoryConfig& d) {
  const bool url_ldap = d.url.starts_with("ldap://");
  const bool url_ldaps = d.url.starts_with("ldaps://");
  if (!d.url.empty() && !url_ldap && !url_ldaps)
    r.error(node["url"], "directory.url",
            "must start with ldap:// or ldaps:// (got \"" + d.url + "\")");
  d.tls = url_ldaps ? TlsMode::ldaps : TlsMode::starttls;
  if (!YamlReader::has(node, "tls")) return;
  std::string tls;
  r.read_choice(node, kSection, "tls", tls, {"starttls", "ldaps", "none"});
  if (tls.empty()) return;  // already reported
  d.tls = tls == "ldaps" ? TlsMode::ldaps : tls == "none" ? TlsMode::none : TlsMode::starttls;
  const auto at = node["tls"];
  if (d.tls == TlsMode::none && url_ldaps)
    r.error(at, "directory.tls", "none contradicts the ldaps:// url; use ldaps");
  else if (d.tls == TlsMode::none && !d.allow_insecure)
    r.error(at, "directory.tls",
            "none sends the bind password in clear text; use starttls or ldaps, or set "
            "directory.allow_insecure: true (only for a test directory on loopback)");
  if (d.tls == TlsMode::ldaps && url_ldap)
    r.error(at, "directory.tls", "ldaps needs an ldaps:// url (got \"" + d.url + "\")");
  if (d.tls == TlsMode::starttls && url_ldaps)
    r.error(at, "directory.tls", "starttls needs an ldap:// url (got \"" + d.url + "\")");
}

void check_names(YamlReader& r, const YAML::Node& node, const DirectoryConfig& d) {
  if (!d.base_dn.empty() && !looks_like_dn(d.base_dn))
    r.error(node["base_dn"], "directory.base_dn",
            "must be a DN such as ou=portal,dc=example,dc=org (got \"" + d.base_dn + "\")");
  if (!d.groups_dn.empty() && !looks_like_dn(d.groups_dn))
    r.error(node["groups_dn"], "directory.groups_dn",
            "must be a DN such as ou=groups,dc=example,dc=org (got \"" + d.groups_dn + "\")");
  if (!d.lock_policy_dn.empty() && !looks_like_dn(d.lock_policy_dn))
    r.error(node["lock_policy_dn"], "directory.lock_policy_dn",
            "must be a DN such as cn=portalsync-lock,ou=portal,dc=example,dc=org (got \"" +
                d.lock_policy_dn + "\")");
  if (!d.lock_policy_dn.empty() && d.flavor == "ad")
    r.error(node["lock_policy_dn"], "directory.lock_policy_dn",
            "is for flavor: openldap only (AD disables accounts by userAccountControl)");
  if (!d.national_id_attribute.empty() && !looks_like_attribute(d.national_id_attribute))
    r.error(node["national_id_attribute"], "directory.national_id_attribute",
            "must be an LDAP attribute name such as employeeNumber (got \"" +
                d.national_id_attribute + "\")");
}

void check_ca_file(YamlReader& r, const YAML::Node& node, Config& c) {
  auto& d = c.directory;
  if (d.ca_file.empty()) return;
  d.ca_file = resolve_path(c.source, d.ca_file);
  if (auto readable = check_readable_file(d.ca_file); !readable)
    r.error(node["ca_file"], "directory.ca_file", readable.message());
}

void read_bind_password(YamlReader& r, const YAML::Node& node, Config& c) {
  auto& d = c.directory;
  if (d.bind_password_file.empty()) return;
  d.bind_password_file = resolve_path(c.source, d.bind_password_file);
  const auto at = node["bind_password_file"];
  auto secret = read_secret_file(d.bind_password_file);
  if (!secret) return r.error(at, "directory.bind_password_file", secret.error());
  d.bind_password = std::move(secret.value());
  if (readable_by_others(d.bind_password_file))
    c.warnings.push_back(c.source + ":" +
                         std::to_string(r.key_line("directory.bind_password_file")) +
                         ": directory.bind_password_file: " + d.bind_password_file +
                         " can be read by other users; chmod 600 it (it holds the bind password)");
}

// The API host holds the directory credentials; here only how to reach it, and what the engine
// itself needs (flavor, base_dn and the mapping keys).
void read_apihost(YamlReader& r, const YAML::Node& node, Config& c) {
  auto& d = c.directory;
  for (const char* key : {"url", "bind_dn", "bind_password_file", "tls", "ca_file", "page_size"})
    if (YamlReader::has(node, key))
      r.error(node[key], std::string(kSection) + "." + key,
              "is not used with connector: apihost (the API host holds the directory "
              "connection); set directory.apihost instead");
  r.require(node, kSection, "base_dn");
  r.require(node, kSection, "apihost");
  d.flavor = "ad";
  read_values(r, node, d);
  check_names(r, node, d);
  const std::string path = "directory.apihost";
  const auto a = r.section(node, kSection, "apihost");
  r.check_keys(a, path,
               {"url", "ca_file", "client_cert", "client_key", "token_file", "timeout_seconds"});
  for (const char* key : {"url", "ca_file", "client_cert", "client_key", "token_file"})
    r.require(a, path, key);
  auto& api = d.apihost;
  r.read_string(a, path, "url", api.url);
  r.read_int(a, path, "timeout_seconds", api.timeout_seconds, 1, 600);
  if (!api.url.empty() && !api.url.starts_with("https://"))
    r.error(a["url"], path + ".url", "must start with https:// (got \"" + api.url + "\")");
  for (auto [key, out] : {std::pair{"ca_file", &api.ca_file},
                          {"client_cert", &api.client_cert},
                          {"client_key", &api.client_key},
                          {"token_file", &api.token_file}}) {
    r.read_string(a, path, key, *out);
    if (out->empty()) continue;
    *out = resolve_path(c.source, *out);
    if (auto readable = check_readable_file(*out); !readable)
      r.error(a[key], path + "." + key, readable.message());
  }
  if (api.token_file.empty() || r.has_errors()) return;
  auto token = read_secret_file(api.token_file);
  if (!token) return r.error(a["token_file"], path + ".token_file", token.error());
  api.token = std::move(token.value());
  if (readable_by_others(api.token_file))
    c.warnings.push_back(c.source + ":" + std::to_string(r.key_line(path + ".token_file")) + ": " +
                         path + ".token_file: " + api.token_file +
                         " can be read by other users; chmod 600 it (it holds the API token)");
}

}  // namespace

void read_directory(YamlReader& r, const YAML::Node& root, Config& c) {
  // A missing section gets one message; an empty one gets one per required key, at its line.
  if (!root[kSection])
    return r.error_at_line(0, kSection,
                           "is required (with url, bind_dn, bind_password_file and base_dn)");
  const auto node = r.section(root, "", kSection);
  if (YamlReader::has(root, kSection) && !root[kSection].IsMap()) return;  // reported
  r.check_keys(node, kSection,
               {"connector", "flavor", "url", "tls", "allow_insecure", "ca_file", "bind_dn",
                "bind_password_file", "base_dn", "page_size", "timeout_seconds",
                "national_id_attribute", "upn_suffix", "groups_dn", "disabled_leave_groups",
                "lock_policy_dn", "apihost", kInlinePassword});
  // Secrets never live in the configuration file, which is copied, diffed and backed up.
  if (node[kInlinePassword])
    r.error(node[kInlinePassword], "directory.bind_password",
            "put the password in a file and name it in directory.bind_password_file");
  auto& d = c.directory;
  r.read_choice(node, kSection, "connector", d.connector, {"ldap", "apihost"});
  if (d.connector == "apihost") return read_apihost(r, node, c);
  for (const char* key : {"url", "bind_dn", "bind_password_file", "base_dn"})
    r.require(node, kSection, key);
  read_values(r, node, d);
  read_tls(r, node, d);
  check_names(r, node, d);
  check_ca_file(r, node, c);
  read_bind_password(r, node, c);
}

}  // namespace ps
