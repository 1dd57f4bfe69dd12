// A throwaway OpenLDAP server for one test: its own temp dir, a generated slapd.conf (back-mdb
// with the ppolicy overlay), a random admin password and free loopback ports; no system
// configuration touched. slapd runs in the foreground as our child, so we know its PID; it is
// stopped (SIGTERM, SIGKILL after 5 s) when the object goes away. stop() and start() again keep
// the data and the port, for outage tests. Start-up failures throw std::runtime_error carrying
// slapd's own output.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/ldap_client.h"
#include "tests/support/ldif.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

struct SlapdOptions {
  std::string suffix = "dc=example,dc=org";
  // Also listen on ldaps:// and accept StartTLS, with a certificate for 127.0.0.1 from a generated
  // CA (a few openssl runs, ~50 ms; off by default).
  bool tls = false;
  std::vector<std::string> extra_modules;  // e.g. "memberof", "refint" (from /usr/lib/ldap)
  std::string extra_config;                // appended to the database section (overlays, limits)
  // The stock setup loads the ppolicy module and puts its overlay on the database (no default
  // policy). module_only loads the module (its schema and control) without the overlay; none
  // loads neither: directories on which a lock would not stop a bind.
  enum class Ppolicy { overlay, module_only, none };
  Ppolicy ppolicy = Ppolicy::overlay;
};

class SlapdServer {
 public:
  explicit SlapdServer(SlapdOptions options = {});
  ~SlapdServer();
  SlapdServer(const SlapdServer&) = delete;
  SlapdServer& operator=(const SlapdServer&) = delete;

  // SIGTERM by PID and wait (SIGKILL after 5 s). Does nothing when not running.
  void stop();
  // Starts again on the same ports and data; returns once slapd answers a search.
  void start();
  bool running() const { return pid_ > 0; }

  std::string url() const;        // ldap://127.0.0.1:PORT (plain; StartTLS too when tls)
  std::string ldaps_url() const;  // ldaps://127.0.0.1:PORT2 ("" unless tls)
  int port() const { return port_; }
  const std::string& suffix() const { return options_.suffix; }
  const std::string& admin_dn() const { return admin_dn_; }  // the rootdn: cn=admin,<suffix>
  const std::string& admin_password() const { return admin_password_; }
  // A file holding just the admin password (mode 600, no newline), for ldapsearch -y and configs.
  const std::string& password_file() const { return password_file_; }
  const std::string& ca_file() const { return ca_file_; }  // "" unless tls
  const std::string& dir() const { return dir_.path(); }
  pid_t pid() const { return pid_; }
  std::string log() const;  // what slapd printed so far (set PS_SLAPD_DEBUG=stats for more)

  // The real command-line tools, bound as the admin over plain LDAP.
  LdapClient admin_client() const;

  // Shortcuts over admin_client() for the common cases. search: subtree below base with every
  // user attribute plus the ones named; a missing base gives no entries; other failures throw.
  std::vector<LdifEntry> search(const std::string& base,
                                const std::string& filter = "(objectClass=*)",
                                std::vector<std::string> attrs = {"*", "pwdAccountLockedTime",
                                                                  "entryUUID"}) const;
  // ldapadd / ldapmodify of LDIF text; returns the tool's exit code.
  int add(const std::string& ldif) const;
  int modify(const std::string& ldif) const;

  // Loads LDIF entries (parents first) offline with slapadd -q: stops slapd, adds, starts it
  // again. ~50x faster than ldapadd, for large fixtures. Throws on failure.
  void load_offline(const std::string& ldif);

 private:
  void write_config();
  // "" once slapd answers; else why not (exited: port taken, bad config; or silent for 5 s).
  std::string try_start();
  void wait_until_ready();
  void add_suffix_entry();

  SlapdOptions options_;
  TempDir dir_;
  std::string admin_dn_;
  std::string admin_password_;
  std::string password_file_;
  std::string ca_file_;
  std::string cert_file_;
  std::string key_file_;
  std::string config_file_;
  std::string log_file_;
  int port_ = 0;
  int ldaps_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ps::testing
