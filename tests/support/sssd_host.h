// A Linux host's view of the directory through SSSD (id_provider = ldap), for one test: sssd runs
// with the test's own sssd.conf, nsswitch.conf and PAM service in a private mount namespace
// (tests/support/sssd-namespace), and the real clients (getent, id, pamtester) run inside it
// through nsenter. The machine's own configuration and services are never used or changed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/namespace_daemon.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

class SssdHost {
 public:
  // `domain` is the body of the [domain/portal] section of sssd.conf. Starts sssd and returns once
  // it answers for `probe_user`; throws with sssd's output when it does not within 30 s.
  SssdHost(const std::string& domain, const std::string& probe_user);

  // ARGV run inside the namespace, `input` on stdin.
  RunResult run(std::vector<std::string> argv, const std::string& input = "") const {
    return sssd_->run(std::move(argv), input);
  }
  // pamtester against the PAM service "portal-login" (pam_sss for auth and account).
  RunResult login(const std::string& user, const std::string& password) const;
  std::string log() const { return sssd_->log(); }

 private:
  TempDir dir_{"ps-sssd"};
  std::unique_ptr<NamespaceDaemon> sssd_;
};

}  // namespace ps::testing
