// A Linux host's view of the directory through SSSD (id_provider = ldap), for one test: sssd runs
// with the test's own sssd.conf, nsswitch.conf and PAM service in a private mount namespace
// (tests/support/sssd-namespace), and the real clients (getent, id, pamtester) run inside it
// through nsenter. The machine's own configuration and services are never used or changed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

class SssdHost {
 public:
  // `domain` is the body of the [domain/portal] section of sssd.conf. Starts sssd and returns once
  // it answers for `probe_user`; throws with sssd's output when it does not within 30 s.
  SssdHost(const std::string& domain, const std::string& probe_user);
  ~SssdHost();
  SssdHost(const SssdHost&) = delete;
  SssdHost& operator=(const SssdHost&) = delete;

  // ARGV run inside the namespace, `input` on stdin.
  RunResult run(std::vector<std::string> argv, const std::string& input = "") const;
  // pamtester against the PAM service "portal-login" (pam_sss for auth and account).
  RunResult login(const std::string& user, const std::string& password) const;
  std::string log() const;

 private:
  TempDir dir_{"ps-sssd"};
  pid_t pid_ = -1;
};

}  // namespace ps::testing
