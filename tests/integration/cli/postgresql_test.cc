// The CLI on a PostgreSQL portal database, with portalsync connected as the least-privilege role
// of docs/portal-schema.md and the portal writing as its own role: db init, sync to a real slapd,
// read back with ldapsearch, a change the portal makes, and the change log, sealed with a key,
// verified.
#include <catch2/catch.hpp>

#include "store/schema.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;

namespace {

const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";

std::string config_for(const TempDir& dir, const SlapdServer& slapd, const std::string& database) {
  auto path = dir.file("portalsync.yaml");
  write_file(path, "portal:\n  database: \"" + database + "\"\ndirectory:\n  url: \"" +
                       slapd.url() + "\"\n  tls: none\n  allow_insecure: true\n  bind_dn: \"" +
                       slapd.admin_dn() + "\"\n  bind_password_file: \"" + slapd.password_file() +
                       "\"\n  base_dn: \"ou=portal,dc=example,dc=org\"\naudit:\n  key_file: \"" +
                       dir.file("audit.key") + "\"\n");
  return path;
}

RunResult portalsync(const std::string& config, std::vector<std::string> args) {
  args.insert(args.begin(), bin("portalsync"));
  args.insert(args.end(), {"-c", config});
  return run(args, "", 300);
}

// As the portal: its own role, no grant on portalsync's schema.
void as_portal(const PostgresDatabase& db, const std::string& sql) {
  db.psql("SET ROLE portal_owner; " + sql);
}

}  // namespace

TEST_CASE("on PostgreSQL, db init and sync as the least-privilege role reach slapd",
          "[cli][postgresql]") {
  PostgresDatabase db(
      [](const std::string& owner_url) { REQUIRE_OK(ps::create_interface_tables(owner_url)); });
  SlapdServer slapd;
  TempDir dir;
  auto config = config_for(dir, slapd, db.url());

  auto init = portalsync(config, {"db", "init"});
  INFO(init.out << init.err);
  REQUIRE(init.ok());
  as_portal(db, R"(
    INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'),
      (2, 1, 'A02', '教育局');
    INSERT INTO accounts(id, username, display_name, surname, given_name, org_unit_id, role,
                         status, last_login_at) VALUES
      (1, 'chen.yating', '陳雅婷', '陳', '雅婷', 2, 'agency_admin', 'enabled', '2026-12-01T00:00:00Z'),
      (2, 'lin.wei', '林威', '林', '威', 2, 'user', 'enabled', '2026-12-01T00:00:00Z');)");

  auto first = portalsync(config, {"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.ok());
  auto users = slapd.search(kCity, "(objectClass=inetOrgPerson)", {"uid", "displayName"});
  REQUIRE(users.size() == 2);
  auto second = portalsync(config, {"plan", "--json"});
  CHECK(second.out.find("\"operations\":[]") != std::string::npos);

  // The portal disables one; its write journals through the SECURITY DEFINER trigger.
  as_portal(db, "UPDATE accounts SET status = 'disabled' WHERE username = 'lin.wei'");
  CHECK(db.psql("SELECT count(*) FROM portalsync.ps_change_journal") != "0\n");
  auto third = portalsync(config, {"sync", "--once"});
  INFO(third.out << third.err);
  REQUIRE(third.ok());
  auto locked = slapd.search(kCity, "(&(uid=lin.wei)(pwdAccountLockedTime=*))", {"uid"});
  CHECK(locked.size() == 1);

  auto verify = portalsync(config, {"audit", "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.ok());
  // Nothing in any output names a password (it comes from the passfile).
  for (const auto& r : {init, first, third, verify})
    CHECK(r.out.find("password=") == std::string::npos);
}
