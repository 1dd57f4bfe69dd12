#include "tests/support/sssd_host.h"

#include <filesystem>

namespace ps::testing {

namespace {

const char* const kNsswitch = "passwd: files sss\ngroup: files sss\nshadow: files\n";
const char* const kPamService = "auth required pam_sss.so\naccount required pam_sss.so\n";

}  // namespace

SssdHost::SssdHost(const std::string& domain, const std::string& probe_user) {
  for (const char* sub : {"/root/etc/sssd", "/root/etc/pam.d"})
    std::filesystem::create_directories(dir_.path() + sub);
  // memcache off and a short entry cache: each lookup asks the directory again, so a test sees
  // a change without invalidating caches by hand.
  write_file(dir_.file("root/etc/sssd/sssd.conf"),
             "[sssd]\nservices = nss, pam\ndomains = portal\n\n[nss]\nmemcache_timeout = 0\n\n"
             "[pam]\n\n[domain/portal]\n" +
                 domain,
             0600);
  write_file(dir_.file("nsswitch.conf"), kNsswitch);
  write_file(dir_.file("root/etc/pam.d/portal-login"), kPamService);
  sssd_ = std::make_unique<NamespaceDaemon>("sssd-namespace", dir_.path(), "sssd.log");
  sssd_->wait_until_answers({"getent", "-s", "sss", "passwd", probe_user});
}

RunResult SssdHost::login(const std::string& user, const std::string& password) const {
  return run({"pamtester", "portal-login", user, "authenticate", "acct_mgmt"}, password + "\n");
}

}  // namespace ps::testing
