// A real Active Directory for the AD tests: Samba 4 as a domain controller (realm PORTAL.TEST,
// base DC=portal,DC=test), serving LDAP only, on a loopback address of its own.
//
// Samba's LDAP ports are fixed (389, 636, 3268, 3269), so each DC takes an address 127.0.0.N
// that is free on those ports: other test runs on the machine keep theirs. Provisioning (5-10 s)
// happens once per build tree into a cached template (samba_template.h); starting copies the
// template, makes a CA and a server certificate for the address, and runs `samba -F -M single`
// (ready in under a second). docs/testing.md has the whole recipe and what Samba cannot show.
//
// One DC serves a whole test run. The ctest fixture (tests/samba_fixture.cc, FIXTURES_SETUP
// "samba") starts it detached and writes a state file; every AD test finds it through
// shared_samba() and works in an OU of its own (fresh_ou). Run by hand without the fixture, a test
// binary starts its own DC and stops it when it exits. Start-up failures throw std::runtime_error
// with Samba's own output.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "connectors/ldap/ldap_settings.h"
#include "tests/support/ldap_client.h"

namespace ps::testing {

// A running DC and how to reach it.
struct SambaDc {
  pid_t pid = -1;              // the samba process, leader of its process group
  std::string url;             // ldaps://127.0.0.N
  std::string ca_file;         // the CA that signed the server's certificate
  std::string base_dn;         // DC=portal,DC=test
  std::string admin_dn;        // CN=Administrator,CN=Users,DC=portal,DC=test
  std::string admin_password;  // random, chosen at provisioning
  std::string password_file;   // just the admin password (mode 600), for the tools' -y
  std::string run_dir;         // etc/smb.conf, samba.log, private/ (the database), tls/

  // The real command-line tools, bound as the domain administrator over ldaps.
  LdapClient admin_client() const;
  // For LdapConnector: ldaps with the CA, bound as the administrator, objectGUID anchors, the ad
  // flavor, 10 s timeouts.
  LdapSettings connector_settings() const;
  // OU=<name>,<base_dn> deleted with everything below it (tree delete) and created again, empty;
  // returns its DN. Tests share one DC: each works below an OU named after it. sAMAccountName is
  // unique in the whole domain, so tests must not reuse each other's account names either.
  std::string fresh_ou(const std::string& name) const;
  // Samba's output so far (its log file).
  std::string log() const;
};

enum class SambaLifetime {
  this_process,  // stopped with SIGTERM when the starting process dies
  detached,      // outlives the starting process (stop_samba by PID); gone after an hour anyway
};

// Provisions the template if needed, copies it into run_dir (created; must not exist) and starts
// samba there. Returns once it answers LDAP.
SambaDc start_samba(const std::string& run_dir, SambaLifetime lifetime);

// Stops the DC by PID (SIGTERM to its process group, SIGKILL after 10 s), whether or not it is our
// child. Refuses a PID that is no longer a samba process. Returns false when it was not running.
bool stop_samba(const SambaDc& dc);

// The state file the ctest fixture writes: <build>/samba/state, or $PS_SAMBA_STATE.
std::string samba_state_file();
void write_samba_state(const std::string& path, const SambaDc& dc);
// nullopt when the file is missing or names a process that is no longer samba.
std::optional<SambaDc> read_samba_state(const std::string& path);

// The DC for this test process: the fixture's when it is running, else one started on first use
// and stopped when this process exits.
const SambaDc& shared_samba();

}  // namespace ps::testing
