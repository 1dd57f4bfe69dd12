// A portal database (SQLite, created by `portalsync db init`) and a configuration pointing at a
// SlapdServer, plus helpers to change rows the way the portal would and to run the CLI.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/samba_server.h"
#include "tests/support/slapd_server.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

// Personal accounts in an openldap-flavor directory: users that are not shared accounts.
inline constexpr const char* kPersonalAccountsFilter =
    "(&(objectClass=inetOrgPerson)(!(employeeType=shared-*)))";

class PortalFixture {
 public:
  explicit PortalFixture(const SlapdServer& slapd, const std::string& extra_yaml = "");
  // The ad flavor against a Samba DC over ldaps, managing `base_dn` (an OU the test owns).
  PortalFixture(const SambaDc& dc, std::string base_dn, const std::string& extra_yaml = "");

  // Runs SQL against the portal database (sqlite3 C API), as the portal application would.
  void exec(const std::string& sql) const;
  std::string query_one(const std::string& sql) const;  // first column of the first row

  // build/bin/portalsync ARGS -c CONFIG
  RunResult portalsync(std::vector<std::string> args, const std::string& input = "") const;

  // A small Tainan tree: 臺南市政府 > 民政局 > 戶政科, 教育局; a handful of accounts. With a
  // prefix the usernames become "<prefix>.chen", ".lin", ".wang", ".pending", ".left" (AD's
  // sAMAccountName is unique in the whole domain, which tests share).
  void seed_small_tree(const std::string& username_prefix = "") const;

  // Whether `portalsync plan --json` finds nothing to do: the directory has converged.
  bool plan_is_empty() const;

  const std::string& config() const { return config_; }
  const std::string& database() const { return db_; }
  const std::string& base_dn() const { return base_dn_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::string db_;
  std::string config_;
  std::string base_dn_ = "ou=portal,dc=example,dc=org";

  void init_database();
};

}  // namespace ps::testing
