// The test side's view of a directory, through the real OpenLDAP command-line tools (ldapsearch,
// ldapadd, ldapmodify): what a test reads here is what any other client sees, independent of the
// connector under test. The password travels in a file (-y), never on a command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/support/ldif.h"
#include "tests/support/process.h"

namespace ps::testing {

struct LdapLogin {
  std::string url;            // ldap://127.0.0.1:PORT or ldaps://...
  std::string bind_dn;        // empty: anonymous
  std::string password_file;  // read by the tools with -y
  std::string ca_file;        // trust anchor for ldaps:// and StartTLS
  bool start_tls = false;     // -ZZ: StartTLS, and fail if it does not succeed
};

class LdapClient {
 public:
  explicit LdapClient(LdapLogin login) : login_(std::move(login)) {}

  // ldapsearch -LLL, paged; scope "base", "one" or "sub". No attributes: all user attributes.
  // A missing base is an error ("No such object").
  Result<std::vector<LdifEntry>> search(std::string_view base,
                                        std::string_view filter = "(objectClass=*)",
                                        const std::vector<std::string>& attributes = {},
                                        std::string_view scope = "sub") const;
  // One entry by DN (base scope); an error when it does not exist.
  Result<LdifEntry> read(std::string_view dn,
                         const std::vector<std::string>& attributes = {}) const;
  // ldapadd with LDIF on stdin.
  Status add(std::string_view ldif) const;
  // ldapmodify with LDIF on stdin (each record carries its changetype).
  Status modify(std::string_view ldif) const;
  // ldapadd / ldapmodify / ldapdelete ... with our connection arguments, LDIF on stdin.
  RunResult run_tool(const std::string& tool, std::string_view input,
                     const std::vector<std::string>& extra_args = {}) const;

  const LdapLogin& login() const { return login_; }

 private:
  std::vector<std::string> arguments(const std::string& tool) const;
  std::map<std::string, std::string> environment() const;

  LdapLogin login_;
};

}  // namespace ps::testing
