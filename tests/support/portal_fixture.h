// A portal database created by `portalsync db init` and a configuration pointing at a SlapdServer,
// plus helpers to change rows the way the portal would and to run the CLI. The database is a
// SQLite file; with PS_TEST_PORTAL=postgresql or mariadb (the "postgresql:" and "mariadb:" runs
// of the [portable] stories, tests/CMakeLists.txt) a database of its own on the shared server,
// set up with the least-privilege accounts of docs/portal-schema.md, portalsync connected as its
// own account.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/mariadb_server.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/samba_server.h"
#include "tests/support/slapd_server.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

// Personal accounts in an openldap-flavor directory: users that are not shared accounts.
inline constexpr const char* kPersonalAccountsFilter =
    "(&(objectClass=inetOrgPerson)(!(employeeType=shared-*)))";

enum class PortalBackend { sqlite, postgresql, mariadb };
// PS_TEST_PORTAL's backend; SQLite when unset.
PortalBackend test_portal_backend();

// The time `seconds` from now in UTC as the portal writes it: 2026-12-01T08:00:00Z. Written by
// the test rather than by SQL, as each database spells its date functions its own way.
std::string utc_in(long long seconds);

class PortalFixture {
 public:
  explicit PortalFixture(const SlapdServer& slapd, const std::string& extra_yaml = "");
  // The ad flavor against a Samba DC over ldaps, managing `base_dn` (an OU the test owns).
  PortalFixture(const SambaDc& dc, std::string base_dn, const std::string& extra_yaml = "");

  // Runs SQL as the portal application would: the sqlite3 C API, or the server's own client as
  // the portal's account. Write SQL all three databases accept.
  void exec(const std::string& sql) const;
  // The first column of the first row as text ("" for NULL or no row), read with the rights of
  // the database's owner: the interface tables and portalsync's own (ps_*) alike.
  std::string query_one(const std::string& sql) const;
  // Runs SQL on portalsync's own tables as someone with every right on them would (an attacker,
  // a careless DBA): the tampering the change log's chain must catch.
  void tamper(const std::string& sql) const;

  // build/bin/portalsync ARGS -c CONFIG
  RunResult portalsync(std::vector<std::string> args, const std::string& input = "") const;
  // portalsync db sample --accounts N --units M on this database, on a server as the portal's own
  // account (the sample is the portal's data; portalsync's account may not write it).
  RunResult sample(int accounts, int units) const;

  // A small Tainan tree: 臺南市政府 > 民政局 > 戶政科, 教育局; a handful of accounts. With a
  // prefix the usernames become "<prefix>.chen", ".lin", ".wang", ".pending", ".left" (AD's
  // sAMAccountName is unique in the whole domain, which tests share).
  void seed_small_tree(const std::string& username_prefix = "") const;

  // Whether `portalsync plan --json` finds nothing to do: the directory has converged.
  bool plan_is_empty() const;

  PortalBackend backend() const { return backend_; }
  const std::string& config() const { return config_; }
  const std::string& database() const { return db_; }  // the SQLite file ("" on a server)
  const std::string& url() const { return url_; }      // as portalsync connects
  const std::string& base_dn() const { return base_dn_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  PortalBackend backend_ = test_portal_backend();
  std::unique_ptr<PostgresDatabase> postgres_;
  std::unique_ptr<MariadbDatabase> mariadb_;
  std::string db_;
  std::string url_;
  std::string config_;
  std::string base_dn_ = "ou=portal,dc=example,dc=org";

  void init_database();
  // On a server: the superuser's and the portal's own account's connection strings.
  std::string superuser_url() const;
  std::string portal_url() const;
};

}  // namespace ps::testing
