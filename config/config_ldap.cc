#include "config/config_ldap.h"

#include "config/config_files.h"

namespace ps {

namespace {

const char* const kSection = "directory";

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

void check_ca_file(YamlReader& r, const YAML::Node& node, const std::string& source,
                   DirectoryConfig& d) {
  if (d.ca_file.empty()) return;
  d.ca_file = resolve_path(source, d.ca_file);
  if (auto readable = check_readable_file(d.ca_file); !readable)
    r.error(node["ca_file"], "directory.ca_file", readable.message());
}

void read_bind_password(YamlReader& r, const YAML::Node& node, const std::string& source,
                        DirectoryConfig& d, std::vector<std::string>& warnings) {
  if (d.bind_password_file.empty()) return;
  d.bind_password_file = resolve_path(source, d.bind_password_file);
  const auto at = node["bind_password_file"];
  auto secret = read_secret_file(d.bind_password_file);
  if (!secret) return r.error(at, "directory.bind_password_file", secret.error());
  d.bind_password = std::move(secret.value());
  if (readable_by_others(d.bind_password_file))
    warnings.push_back(source + ":" + std::to_string(r.key_line("directory.bind_password_file")) +
                       ": directory.bind_password_file: " + d.bind_password_file +
                       " can be read by other users; chmod 600 it (it holds the bind password)");
}

}  // namespace

void read_ldap_connection(YamlReader& r, const YAML::Node& node, const std::string& source,
                          DirectoryConfig& d, std::vector<std::string>& warnings) {
  r.read_string(node, kSection, "url", d.url);
  r.read_bool(node, kSection, "allow_insecure", d.allow_insecure);
  r.read_string(node, kSection, "ca_file", d.ca_file);
  r.read_string(node, kSection, "bind_dn", d.bind_dn);
  r.read_string(node, kSection, "bind_password_file", d.bind_password_file);
  r.read_int(node, kSection, "page_size", d.page_size, 1, 5000);
  r.read_int(node, kSection, "timeout_seconds", d.timeout_seconds, 1, 600);
  read_tls(r, node, d);
  check_ca_file(r, node, source, d);
  read_bind_password(r, node, source, d, warnings);
}

}  // namespace ps
