// A throwaway directory holding a configuration file and the bind password file it names, for the
// config tests.
#pragma once

#include <string>

#include "config/config.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

inline const std::string kSecret = "s3cret-value";

// The smallest valid configuration: seven lines, so appended keys start at line 8.
inline const std::string kMinimal = R"(portal:
  database: "sqlite3://db=/var/lib/portalsync/portal.db"
directory:
  url: "ldap://127.0.0.1:389"
  bind_dn: "cn=admin,dc=example,dc=org"
  bind_password_file: "bind.secret"
  base_dn: "ou=portal,dc=example,dc=org"
)";

struct ConfigFiles {
  TempDir dir;
  ConfigFiles() { write_file(dir.file("bind.secret"), kSecret + "\n", 0600); }
  std::string config_path() const { return dir.file("c.yaml"); }
  Result<Config> load(const std::string& yaml) {
    write_file(config_path(), yaml);
    return load_config(config_path());
  }
  // The start of a message about `line` of the configuration file: "/tmp/.../c.yaml:8: ".
  std::string at(int line) const { return config_path() + ":" + std::to_string(line) + ": "; }
};

}  // namespace ps::testing
