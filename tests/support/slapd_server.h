// A throwaway slapd for one test: temp dir, free loopback port, back-mdb with the ppolicy overlay,
// no system configuration touched. Started in the foreground as our child and stopped by PID.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/ldif.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

class SlapdServer {
 public:
  SlapdServer();
  ~SlapdServer();

  // Stops the server (SIGTERM by PID); start() brings it back on the same port and data.
  void stop();
  void start();

  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
  std::string suffix() const { return "dc=example,dc=org"; }
  std::string admin_dn() const { return "cn=admin,dc=example,dc=org"; }
  const std::string& password_file() const { return password_file_; }
  const std::string& dir() const { return dir_.path(); }

  // ldapsearch (the real client) below `base`; every user attribute plus the ones named.
  std::vector<LdifEntry> search(const std::string& base,
                                const std::string& filter = "(objectClass=*)",
                                std::vector<std::string> attrs = {"*", "pwdAccountLockedTime",
                                                                  "entryUUID"}) const;
  // ldapadd / ldapmodify of LDIF text; returns the tool's exit code.
  int add(const std::string& ldif) const;
  int modify(const std::string& ldif) const;

 private:
  TempDir dir_;
  int port_;
  pid_t pid_ = -1;
  std::string password_file_;
};

}  // namespace ps::testing
