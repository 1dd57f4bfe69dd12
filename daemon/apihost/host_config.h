// The API host's configuration file (docs/operations.md, "The API host"): its HTTPS endpoint
// (listen, TLS files, the client CA, tokens by SHA-256), its own directory connection (the domain
// credentials live here, not on the portal tier), the one subtree it accepts operations under,
// and the SQLite file that keeps its idempotency records (and for how long). Errors read
// "FILE:LINE: key: reason".
#pragma once

#include <string>
#include <vector>

#include "connectors/ldap/ldap_settings.h"
#include "core/result.h"
#include "daemon/admin/settings.h"

namespace ps::apihost {

struct HostConfig {
  std::string source;
  admin::AdminSettings http;  // listen, tls_cert, tls_key, client_ca, tokens, limits
  LdapSettings directory;     // holds the bind password: never log a whole HostConfig
  std::string allowed_base_dn;
  std::string database;  // path of the SQLite file (created when missing)
  int retain_days = 30;  // idempotency records older than this are pruned; 0 keeps them all
  std::string log_level = "info";
  std::vector<std::string> warnings;  // loaded, but worth a look (a password file others can read)
};

Result<HostConfig> load_host_config(const std::string& path);

}  // namespace ps::apihost
