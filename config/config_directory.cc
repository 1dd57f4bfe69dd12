// The directory section: where the directory is, how to reach it safely, how to bind, and which
// subtree portalsync manages. Also reads the bind password from its file.
#include <algorithm>
#include <cctype>

#include "config/config_files.h"
#include "config/config_ldap.h"
#include "config/config_sections.h"
#include "core/text.h"

namespace ps {

namespace {

const char* const kSection = "directory";

// Checked by hand below rather than reported as unknown, to say where the password belongs.
constexpr const char* kInlinePassword = "bind_password";

// An HMAC-SHA256 key shorter than the hash adds guessable structure (RFC 2104 section 3).
constexpr std::size_t kMinPersonKeyBytes = 32;

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
  r.read_string(node, kSection, "base_dn", d.base_dn);
  r.read_string(node, kSection, "national_id_attribute", d.national_id_attribute);
  r.read_string(node, kSection, "upn_suffix", d.upn_suffix);
  r.read_string(node, kSection, "groups_dn", d.groups_dn);
  r.read_string(node, kSection, "agency_groups", d.agency_groups);
  r.read_bool(node, kSection, "disabled_leave_groups", d.disabled_leave_groups);
  r.read_string(node, kSection, "lock_policy_dn", d.lock_policy_dn);
  read_posix(r, node, d.posix);
}

void check_names(YamlReader& r, const YAML::Node& node, const DirectoryConfig& d) {
  if (!d.base_dn.empty() && !looks_like_dn(d.base_dn))
    r.error(node["base_dn"], "directory.base_dn",
            "must be a DN such as ou=portal,dc=example,dc=org (got \"" + d.base_dn + "\")");
  if (!d.groups_dn.empty() && !looks_like_dn(d.groups_dn))
    r.error(node["groups_dn"], "directory.groups_dn",
            "must be a DN such as ou=groups,dc=example,dc=org (got \"" + d.groups_dn + "\")");
  if (!d.agency_groups.empty() && d.agency_groups.find("{code}") == std::string::npos)
    r.error(node["agency_groups"], "directory.agency_groups",
            "must name each agency's group with {code}, such as agency-{code} (got \"" +
                d.agency_groups + "\")");
  if (!d.agency_groups.empty() && d.groups_dn.empty())
    r.error(node["agency_groups"], "directory.agency_groups",
            "needs directory.groups_dn, where the groups are kept");
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

// directory.person_key: {attribute, key_file}. The key is the file's one line, at least 32 bytes.
void read_person_key(YamlReader& r, const YAML::Node& node, Config& c) {
  if (!YamlReader::has(node, "person_key")) return;
  const std::string path = "directory.person_key";
  const auto p = r.section(node, kSection, "person_key");
  r.check_keys(p, path, {"attribute", "key_file"});
  for (const char* key : {"attribute", "key_file"}) r.require(p, path, key);
  auto& k = c.directory.person_key;
  r.read_string(p, path, "attribute", k.attribute);
  r.read_string(p, path, "key_file", k.key_file);
  if (!k.attribute.empty() && !looks_like_attribute(k.attribute))
    r.error(p["attribute"], path + ".attribute",
            "must be an LDAP attribute name such as employeeID (got \"" + k.attribute + "\")");
  if (!k.attribute.empty() && iequals(k.attribute, c.directory.national_id_attribute))
    r.error(p["attribute"], path + ".attribute",
            "must differ from directory.national_id_attribute (the digest replaces the national "
            "ID, it is not written next to it)");
  if (k.key_file.empty() || r.has_errors()) return;
  k.key_file = resolve_path(c.source, k.key_file);
  auto key = read_secret_file(k.key_file);
  if (!key) return r.error(p["key_file"], path + ".key_file", key.error());
  if (key->size() < kMinPersonKeyBytes)
    return r.error(p["key_file"], path + ".key_file",
                   k.key_file + " holds " + std::to_string(key->size()) +
                       " bytes; the key must be " + std::to_string(kMinPersonKeyBytes) +
                       " or more (openssl rand -hex 32 makes one)");
  k.key = std::move(key.value());
  if (readable_by_others(k.key_file))
    c.warnings.push_back(c.source + ":" + std::to_string(r.key_line(path + ".key_file")) + ": " +
                         path + ".key_file: " + k.key_file +
                         " can be read by other users; chmod 600 it (it holds the person key)");
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
  read_person_key(r, node, c);
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
               {"connector",
                "flavor",
                "url",
                "tls",
                "allow_insecure",
                "ca_file",
                "bind_dn",
                "bind_password_file",
                "base_dn",
                "page_size",
                "timeout_seconds",
                "national_id_attribute",
                "person_key",
                "upn_suffix",
                "groups_dn",
                "agency_groups",
                "disabled_leave_groups",
                "lock_policy_dn",
                "apihost",
                "posix",
                kInlinePassword});
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
  read_ldap_connection(r, node, c.source, d, c.warnings);
  check_names(r, node, d);
  read_person_key(r, node, c);
}

}  // namespace ps
