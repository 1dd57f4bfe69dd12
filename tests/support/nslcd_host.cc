#include "tests/support/nslcd_host.h"

namespace ps::testing {

NslcdHost::NslcdHost(const std::string& config, const std::string& probe_user) {
  // Mode 600, as on a host: it holds the reader's password.
  write_file(dir_.file("nslcd.conf"), config, 0600);
  write_file(dir_.file("nsswitch.conf"), "passwd: files ldap\ngroup: files ldap\nshadow: files\n");
  nslcd_ = std::make_unique<NamespaceDaemon>("nslcd-namespace", dir_.path(), "nslcd.log");
  nslcd_->wait_until_answers({"getent", "-s", "ldap", "passwd", probe_user});
}

}  // namespace ps::testing
