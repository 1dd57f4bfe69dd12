#include "tests/support/apache_server.h"

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace ps::testing {

namespace {

const char* const kModules[][2] = {{"mpm_prefork_module", "mod_mpm_prefork.so"},
                                   {"authn_core_module", "mod_authn_core.so"},
                                   {"authz_core_module", "mod_authz_core.so"},
                                   {"auth_basic_module", "mod_auth_basic.so"},
                                   {"ldap_module", "mod_ldap.so"},
                                   {"authnz_ldap_module", "mod_authnz_ldap.so"},
                                   {"dir_module", "mod_dir.so"}};

}  // namespace

ApacheServer::ApacheServer(const std::string& ca_file, const std::string& location)
    : port_(free_loopback_port()) {
  // The worker runs as www-data: it must reach the document root.
  ::chmod(dir_.path().c_str(), 0755);
  std::filesystem::create_directories(dir_.file("htdocs/app"));
  write_file(dir_.file("htdocs/app/index.html"), "portal app\n");
  write_file(dir_.file("ca.pem"), read_file(ca_file));
  std::string conf = "ServerRoot " + dir_.path() +
                     "\nServerName 127.0.0.1\nListen 127.0.0.1:" + std::to_string(port_) +
                     "\nPidFile " + dir_.file("httpd.pid") + "\nErrorLog " +
                     dir_.file("error.log") + "\nLogLevel warn\nUser www-data\nGroup www-data\n";
  for (const auto& [name, file] : kModules)
    conf += std::string("LoadModule ") + name + " /usr/lib/apache2/modules/" + file + "\n";
  conf += "DocumentRoot " + dir_.file("htdocs") + "\nDirectoryIndex index.html\n" +
          "LDAPTrustedGlobalCert CA_BASE64 " + dir_.file("ca.pem") +
          "\nLDAPVerifyServerCert On\n<Location /app>\n" + location + "\n</Location>\n";
  write_file(dir_.file("httpd.conf"), conf);
  pid_ = spawn({"/usr/sbin/apache2", "-f", dir_.file("httpd.conf"), "-X"}, dir_.file("out.log"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (get_status("", "") == 0) {
    if (has_exited(pid_) || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("apache2 did not start:\n" + read_file(dir_.file("out.log")) +
                               error_log());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

ApacheServer::~ApacheServer() {
  if (pid_ > 0) stop(pid_, SIGTERM);
}

int ApacheServer::get_status(const std::string& user, const std::string& password) const {
  std::vector<std::string> argv = {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"};
  if (!user.empty()) argv.insert(argv.end(), {"-u", user + ":" + password});
  argv.push_back("http://127.0.0.1:" + std::to_string(port_) + "/app/");
  auto r = run(argv, "", 30);
  return r.ok() ? std::atoi(r.out.c_str()) : 0;
}

std::string ApacheServer::error_log() const {
  return std::filesystem::exists(dir_.file("error.log")) ? read_file(dir_.file("error.log")) : "";
}

}  // namespace ps::testing
