// portalsync's configuration as loaded from YAML (see config/examples/ and docs/configuration.md).
// Loading validates everything that can be checked without connecting; each error names the file,
// line and key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/lifecycle.h"
#include "core/posix.h"
#include "core/result.h"
#include "core/scope_codes.h"
#include "core/token_role.h"

namespace ps {

enum class TlsMode { starttls, ldaps, none };

struct PortalConfig {
  std::string
      database;  // SOCI connection string, e.g. "sqlite3://db=/var/lib/portalsync/portal.db"
};

// directory.connector: apihost: reach the directory through an API host (docs/apihost-protocol.md).
struct ApihostClientConfig {
  std::string url;  // https://host:port
  std::string ca_file;
  std::string client_cert;
  std::string client_key;
  std::string token_file;
  std::string token;  // read from token_file at load time; never logged
  int timeout_seconds = 30;
};

// directory.person_key: a keyed digest of the national ID on every account of the person, so a
// single sign-on service holding the same key finds a person's accounts
// (docs/directory-mapping.md).
struct PersonKeyConfig {
  std::string attribute;  // empty: off
  std::string key_file;   // absolute once loaded
  std::string key;        // read from key_file at load time; never logged
};

struct DirectoryConfig {
  std::string connector = "ldap";   // ldap | apihost
  std::string flavor = "openldap";  // openldap | ad
  std::string url;                  // ldap://... or ldaps://...
  TlsMode tls = TlsMode::starttls;  // when not set: ldaps for an ldaps:// url, else starttls
  bool allow_insecure = false;      // required to accept tls: none
  std::string ca_file;              // absolute once loaded (relative ones are resolved)
  std::string bind_dn;
  std::string bind_password_file;  // absolute once loaded
  std::string bind_password;       // read from bind_password_file at load time; never logged
  std::string base_dn;
  int page_size = 500;
  int timeout_seconds = 30;
  std::string national_id_attribute;  // empty: national IDs never reach the directory
  PersonKeyConfig person_key;         // off unless attribute is set
  std::string upn_suffix;             // ad flavor
  std::string groups_dn;              // where entitlement groups live; empty: not synced
  std::string agency_groups;          // a group per agency, named by this ({code}); empty: none
  bool disabled_leave_groups = true;  // only enabled accounts are group members
  std::string lock_policy_dn;   // openldap: the lock policy; empty: cn=portalsync-lock,<base_dn>
  ApihostClientConfig apihost;  // connector: apihost only
  PosixOptions posix;           // directory.posix; enabled when the section is present
};

struct SyncConfig {
  int window = 32;              // outstanding asynchronous write operations
  int interval_seconds = 3600;  // portalsyncd: time between full reconciles (drift repair)
  int max_disables = 500;       // mass-change guard: accounts disabled or deleted in one run
  int max_disable_percent = 10;
  int guard_floor = 10;      // below this many, the percentage does not apply
  int quarantine_after = 5;  // failed runs in a row before an object is quarantined; 0: never
};

// portalsyncd's own timing (docs/operations.md).
struct DaemonConfig {
  int poll_interval_ms = 1000;  // how often the change journal is looked at
  // While the portal database tells of its commits (PostgreSQL LISTEN), the poll is a safety net:
  // every this many ms, or poll_interval_ms if longer.
  int listen_poll_interval_ms = 5000;
  std::string idle_disable_at = "02:00";  // local time of the daily idle-disable run
  std::string timezone = "Asia/Taipei";   // the zone idle_disable_at is read in
  int idle_disable_minutes = 120;         // idle_disable_at as minutes after midnight
  int retry_initial_seconds = 1;          // first wait after a failed run; doubles each time
  int retry_max_seconds = 300;
  // Two nodes (docs/operations.md): how long a node cut off from the portal database may still
  // act as the active one; the standby tries to take over every fifth of it.
  int lease_seconds = 10;
};

// The admin HTTP endpoint (docs/admin-api.md). Tokens are kept as SHA-256 hashes only.
struct AdminTokenConfig {
  std::string name;    // the actor in the change log
  std::string sha256;  // 64 lower-case hex digits
  // None: a token configured before roles existed, which acts as admin (with a warning).
  std::optional<TokenRole> role;
  ScopeCodes scope;  // units and agencies by code; none: every unit
};

// admin.limits (docs/admin-api.md, "Limits").
struct AdminLimitsConfig {
  int max_header_bytes = 8 * 1024;
  int max_body_bytes = 64 * 1024;
  int header_timeout_seconds = 3;
  int request_timeout_seconds = 10;
  int idle_timeout_seconds = 30;
  int max_connections = 32;
  int max_connections_per_address = 16;
};

struct AdminConfig {
  bool enabled = true;
  std::string listen = "127.0.0.1:8650";
  std::string tls_cert;
  std::string tls_key;
  // Plain HTTP on an address other than loopback: refused unless this is set.
  bool allow_insecure_listen = false;
  std::vector<AdminTokenConfig> tokens;
  AdminLimitsConfig limits;
};

struct PoliciesConfig {
  IdlePolicy idle_disable;  // the rule's own settings (core/lifecycle.h)
};

// The password policy `portalsync password set` checks (core/password_policy.h has the rules).
struct PasswordsConfig {
  int min_length = 12;
  int min_classes = 3;
  bool forbid_username = true;
  int max_run = 3;
  std::string common_list;  // absolute; the shipped list unless the file names another
};

struct AuditConfig {
  int retain_days =
      0;  // 0: keep every record; otherwise `portalsync audit prune` exports and drops older ones
  std::string export_dir;    // where pruned records are exported (JSON lines) before deletion
  std::string key_file;      // HMAC-SHA256 key sealing the change log and signing its checkpoints
  std::string key;           // read from key_file; never logged
  bool key_missing = false;  // key_file is named but does not exist yet (db init creates it)
  int anchor_interval_seconds = 3600;  // the daemon logs the chain's anchor this often (0: never)
};

struct LogConfig {
  std::string level = "info";  // debug | info | notice | warning | error
};

struct Config {
  std::string source;  // the file it was loaded from
  PortalConfig portal;
  DirectoryConfig directory;
  SyncConfig sync;
  DaemonConfig daemon;
  AdminConfig admin;
  PoliciesConfig policies;
  PasswordsConfig passwords;
  AuditConfig audit;
  LogConfig log;
  std::vector<std::string> warnings;  // valid but worth telling (a secret file others can read)
};

// Loads and validates FILE. Secrets are read from the files the config names. Errors read
// "FILE:LINE: key.path: what is wrong", one per line when there are several.
Result<Config> load_config(const std::string& path);

}  // namespace ps
