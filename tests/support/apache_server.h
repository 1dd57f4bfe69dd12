// Apache httpd with mod_authnz_ldap for one test: its own httpd.conf in a temp dir, a free
// loopback port, one process in the foreground (-X) as our child, stopped by PID. The machine's
// Apache configuration and service are never used.
#pragma once

#include <sys/types.h>

#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

class ApacheServer {
 public:
  // `location` is the body of a <Location /app> block (the authentication and Require lines);
  // `ca_file` the directory's CA, which mod_ldap trusts (LDAPTrustedGlobalCert, a copy the
  // www-data worker can read: libldap loads it at the first StartTLS). GET /app/ answers "portal
  // app" to whoever the block admits. Returns once Apache answers; throws with its error log when
  // it does not within 10 s.
  ApacheServer(const std::string& ca_file, const std::string& location);
  ~ApacheServer();
  ApacheServer(const ApacheServer&) = delete;
  ApacheServer& operator=(const ApacheServer&) = delete;

  // The HTTP status of GET /app/ with Basic credentials, from curl.
  int get_status(const std::string& user, const std::string& password) const;
  std::string error_log() const;

 private:
  TempDir dir_{"ps-apache"};
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ps::testing
