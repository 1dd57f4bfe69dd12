// A Linux host's view of the directory through nslcd (nss-pam-ldapd), for one test: nslcd runs
// with the test's own nslcd.conf, and an nsswitch.conf of "files ldap", in a private mount
// namespace (tests/support/nslcd-namespace), where libnss_ldap finds its socket; the real clients
// (getent, id) run inside it. The machine's own configuration and services are never used.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/namespace_daemon.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

class NslcdHost {
 public:
  // `config` is the whole nslcd.conf. Starts nslcd and returns once `getent passwd probe_user`
  // answers through it; throws with nslcd's output when it does not within 30 s.
  NslcdHost(const std::string& config, const std::string& probe_user);

  RunResult run(std::vector<std::string> argv) const { return nslcd_->run(std::move(argv)); }
  std::string log() const { return nslcd_->log(); }

 private:
  TempDir dir_{"ps-nslcd"};
  std::unique_ptr<NamespaceDaemon> nslcd_;
};

}  // namespace ps::testing
