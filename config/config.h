// portalsync's configuration as loaded from YAML (see config/examples/ and docs/configuration.md).
// Loading validates everything that can be checked without connecting; each error names the file,
// line and key.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace ps {

enum class TlsMode { starttls, ldaps, none };

struct PortalConfig {
  std::string database;  // SOCI connection string, e.g. "sqlite3://db=/var/lib/portalsync/portal.db"
};

struct DirectoryConfig {
  std::string connector = "ldap";   // ldap (apihost later)
  std::string flavor = "openldap";  // openldap (ad later)
  std::string url;
  TlsMode tls = TlsMode::starttls;
  bool allow_insecure = false;  // required to accept tls: none
  std::string ca_file;
  std::string bind_dn;
  std::string bind_password_file;
  std::string bind_password;  // read from bind_password_file at load time; never logged
  std::string base_dn;
  int page_size = 500;
  int timeout_seconds = 30;
  std::string national_id_attribute;  // empty: national IDs never reach the directory
};

struct SyncConfig {
  int window = 32;           // outstanding asynchronous write operations
  int interval_seconds = 60; // portalsyncd: time between sync cycles
};

struct LogConfig {
  std::string level = "info";  // debug | info | notice | warning | error
};

struct Config {
  std::string source;  // the file it was loaded from
  PortalConfig portal;
  DirectoryConfig directory;
  SyncConfig sync;
  LogConfig log;
};

// Loads and validates FILE. Secrets are read from the files the config names. Errors read
// "FILE:LINE: key.path: what is wrong", one per line when there are several.
Result<Config> load_config(const std::string& path);

}  // namespace ps
