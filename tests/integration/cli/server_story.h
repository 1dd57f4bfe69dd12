// The CLI story on a portal database on a server (PostgreSQL, MariaDB): a configuration naming
// the database and a real slapd, and portalsync run with it.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/portal_fixture.h"

namespace ps::testing {

inline const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";

inline std::string config_for(const TempDir& dir, const SlapdServer& slapd,
                              const std::string& database) {
  auto path = dir.file("portalsync.yaml");
  write_file(path, "portal:\n  database: \"" + database + "\"\ndirectory:\n  url: \"" +
                       slapd.url() + "\"\n  tls: none\n  allow_insecure: true\n  bind_dn: \"" +
                       slapd.admin_dn() + "\"\n  bind_password_file: \"" + slapd.password_file() +
                       "\"\n  base_dn: \"ou=portal,dc=example,dc=org\"\naudit:\n  key_file: \"" +
                       dir.file("audit.key") + "\"\n");
  return path;
}

inline RunResult portalsync(const std::string& config, std::vector<std::string> args) {
  args.insert(args.begin(), bin("portalsync"));
  args.insert(args.end(), {"-c", config});
  return run(args, "", 300);
}

// Two units and two enabled accounts, as the portal writes them.
inline const char* kStoryPortal = R"(
    INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'),
      (2, 1, 'A02', '教育局');
    INSERT INTO accounts(id, username, display_name, surname, given_name, org_unit_id, role,
                         status, last_login_at) VALUES
      (1, 'chen.yating', '陳雅婷', '陳', '雅婷', 2, 'agency_admin', 'enabled', '2026-12-01T00:00:00Z'),
      (2, 'lin.wei', '林威', '林', '威', 2, 'user', 'enabled', '2026-12-01T00:00:00Z');)";

// The portal database on a server as the story sees it.
struct ServerPortal {
  std::string url;                                    // portalsync's connection string
  std::function<void(const std::string& sql)> write;  // as the portal's own account
  std::function<std::string()> journal_rows;          // count(*) of ps_change_journal, as text
  std::string secret;  // no output may contain it (part of the password, or "password=")
};

// db init; the portal writes two accounts; sync reaches slapd (read back with ldapsearch); a
// second plan is empty; the portal disables one, its write journals through the trigger, and the
// next sync locks the entry; the change log, sealed with a key, verifies.
inline void run_server_story(const ServerPortal& portal) {
  SlapdServer slapd;
  TempDir dir;
  auto config = config_for(dir, slapd, portal.url);

  auto init = portalsync(config, {"db", "init"});
  INFO(init.out << init.err);
  REQUIRE(init.ok());
  portal.write(kStoryPortal);

  auto first = portalsync(config, {"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.ok());
  auto users = slapd.search(kCity, "(objectClass=inetOrgPerson)", {"uid", "displayName"});
  REQUIRE(users.size() == 2);
  auto second = portalsync(config, {"plan", "--json"});
  CHECK(second.out.find("\"operations\":[]") != std::string::npos);

  portal.write("UPDATE accounts SET status = 'disabled' WHERE username = 'lin.wei'");
  CHECK(portal.journal_rows() != "0\n");
  auto third = portalsync(config, {"sync", "--once"});
  INFO(third.out << third.err);
  REQUIRE(third.ok());
  auto locked = slapd.search(kCity, "(&(uid=lin.wei)(pwdAccountLockedTime=*))", {"uid"});
  CHECK(locked.size() == 1);

  auto verify = portalsync(config, {"audit", "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.ok());
  for (const auto& r : {init, first, third, verify}) {
    CHECK(r.out.find(portal.secret) == std::string::npos);
    CHECK(r.err.find(portal.secret) == std::string::npos);
  }
}

}  // namespace ps::testing
