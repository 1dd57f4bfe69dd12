#include "tests/support/slapd_server.h"

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"

namespace ps::testing {

namespace {

const char* kPassword = "test-admin-secret";

std::string config_text(const std::string& dir) {
  return "include /etc/ldap/schema/core.schema\n"
         "include /etc/ldap/schema/cosine.schema\n"
         "include /etc/ldap/schema/inetorgperson.schema\n"
         "include /etc/ldap/schema/nis.schema\n"
         "modulepath /usr/lib/ldap\n"
         "moduleload back_mdb\n"
         "moduleload ppolicy\n"
         "database mdb\n"
         "suffix \"dc=example,dc=org\"\n"
         "rootdn \"cn=admin,dc=example,dc=org\"\n"
         "rootpw " +
         std::string(kPassword) +
         "\n"
         "directory " +
         dir +
         "/data\n"
         "maxsize 268435456\n"
         "dbnosync\n"
         "index objectClass,uid,entryUUID eq\n"
         "overlay ppolicy\n";
}

}  // namespace

SlapdServer::SlapdServer() : port_(free_loopback_port()) {
  mkdir((dir_.path() + "/data").c_str(), 0700);
  write_file(dir_.file("slapd.conf"), config_text(dir_.path()));
  password_file_ = dir_.file("admin.secret");
  write_file(password_file_, kPassword, 0600);
  auto test = run({"slaptest", "-Q", "-u", "-f", dir_.file("slapd.conf")});
  if (test.exit_code != 0) throw std::runtime_error("slaptest failed: " + test.err);
  start();
  if (add("dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\ndc: example\n"
          "o: Example\n") != 0)
    throw std::runtime_error("cannot add the suffix entry to slapd at " + url());
}

SlapdServer::~SlapdServer() { stop(); }

void SlapdServer::start() {
  pid_ = spawn({"slapd", "-d", "0", "-f", dir_.file("slapd.conf"), "-h", url() + "/"},
               dir_.file("slapd.log"));
  for (int i = 0; i < 250; ++i) {
    auto r = run({"ldapsearch", "-x", "-H", url(), "-b", "", "-s", "base", "-LLL", "1.1"}, "", 5);
    if (r.exit_code == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("slapd did not answer on " + url() + ": " +
                           read_file(dir_.file("slapd.log")));
}

void SlapdServer::stop() {
  if (pid_ > 0) ps::testing::stop(pid_, SIGTERM, 10);
  pid_ = -1;
}

std::vector<LdifEntry> SlapdServer::search(const std::string& base, const std::string& filter,
                                           std::vector<std::string> attrs) const {
  std::vector<std::string> argv = {"ldapsearch", "-x", "-H",           url(), "-D",
                                   admin_dn(),   "-y", password_file_, "-b",  base,
                                   "-LLL",       "-o", "ldif-wrap=no", "-E",  "pr=1000/noprompt",
                                   filter};
  argv.insert(argv.end(), attrs.begin(), attrs.end());
  auto r = run(argv, "", 120);
  if (r.exit_code != 0 && r.exit_code != 32)
    throw std::runtime_error("ldapsearch failed: " + r.err);
  return parse_ldif(r.out);
}

int SlapdServer::add(const std::string& ldif) const {
  return run({"ldapadd", "-x", "-H", url(), "-D", admin_dn(), "-y", password_file_}, ldif)
      .exit_code;
}

int SlapdServer::modify(const std::string& ldif) const {
  return run({"ldapmodify", "-x", "-H", url(), "-D", admin_dn(), "-y", password_file_}, ldif)
      .exit_code;
}

}  // namespace ps::testing
