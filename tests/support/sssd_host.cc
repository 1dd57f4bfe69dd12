#include "tests/support/sssd_host.h"
#include "tests/support/build_paths.h"

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

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
  pid_ = spawn({"unshare", "-m", "--", ps::testing::source_dir() + "/tests/support/sssd-namespace",
                dir_.path()},
               dir_.file("sssd.log"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!run({"getent", "-s", "sss", "passwd", probe_user}).ok()) {
    if (has_exited(pid_) || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("sssd did not answer for " + probe_user + ":\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

SssdHost::~SssdHost() {
  if (pid_ > 0) stop(pid_, SIGTERM);
}

RunResult SssdHost::run(std::vector<std::string> argv, const std::string& input) const {
  argv.insert(argv.begin(), {"nsenter", "-t", std::to_string(pid_), "-m", "--"});
  return ps::testing::run(argv, input, 60);
}

RunResult SssdHost::login(const std::string& user, const std::string& password) const {
  return run({"pamtester", "portal-login", user, "authenticate", "acct_mgmt"}, password + "\n");
}

std::string SssdHost::log() const { return read_file(dir_.file("sssd.log")); }

}  // namespace ps::testing
