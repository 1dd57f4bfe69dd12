// The lifecycle stories from the command line against a real slapd: reserved changes, the idle
// sole admin, custody, batches and the mass-change guard.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";

RunResult sync(const PortalFixture& p) { return p.portalsync({"sync", "--once"}); }

}  // namespace

TEST_CASE("a reserved transfer happens at its time and not before, with the new unit's place",
          "[cli][lifecycle]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  // Due far enough ahead that the early sync below runs before it even under the sanitizers on a
  // loaded machine (3 s was not), then waited for.
  auto due = std::chrono::system_clock::now() + std::chrono::seconds(10);
  auto at = utc_in(10);
  auto add =
      portal.portalsync({"schedule", "add", "--account", "lin.wei", "--kind", "transfer",
                         "--to-unit", "A02", "--reason", "機關異動 府人字第1130001號", "--at", at});
  INFO(add.out << add.err);
  REQUIRE(add.exit_code == 0);

  auto preview = portal.portalsync({"plan", "--now", utc_in(3600)});
  CHECK_THAT(preview.out, Catch::Contains("lin.wei transferred to 教育局"));
  CHECK_THAT(preview.out, Catch::Contains("move    account  uid=lin.wei"));
  REQUIRE(sync(portal).exit_code == 0);  // too early: nothing happens
  CHECK(slapd.search(portal.base_dn(), "(uid=lin.wei)").at(0).dn ==
        "uid=lin.wei,ou=戶政科,ou=民政局," + kCity);
  CHECK(portal.query_one("SELECT state FROM scheduled_changes") == "pending");

  std::this_thread::sleep_until(due + std::chrono::seconds(1));
  auto run = sync(portal);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  auto lin = slapd.search(portal.base_dn(), "(uid=lin.wei)");
  CHECK(lin.at(0).dn == "uid=lin.wei,ou=教育局," + kCity);
  CHECK(lin.at(0).first("departmentnumber") == "A02");
  CHECK(portal.query_one("SELECT state FROM scheduled_changes") == "done");
  CHECK(portal.query_one("SELECT org_unit_id FROM accounts WHERE id = 2") == "4");
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log WHERE actor = 'rule:scheduled' AND "
                         "category = 'unit transfer' AND result = 'done'") == "1");
  auto list = portal.portalsync({"schedule", "list", "--json"});
  CHECK_THAT(list.out, Catch::Contains("\"state\":\"done\""));
}

TEST_CASE("the idle sole admin is blocked until a second admin is appointed, then disabled",
          "[cli][lifecycle][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  // wang.xm is the only agency admin of 民政局 and has not signed in for 200 days.
  portal.exec("UPDATE accounts SET last_login_at = '" + utc_in(-200 * 86400) + "' WHERE id = 3");
  auto report = portal.portalsync({"idle", "report"});
  CHECK_THAT(report.out, Catch::Contains("appoint another agency admin in 民政局 first"));
  REQUIRE(sync(portal).exit_code == 0);
  CHECK(portal.query_one("SELECT status FROM accounts WHERE id = 3") == "enabled");
  REQUIRE(sync(portal).exit_code == 0);  // reported again, never silently
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log WHERE actor = 'rule:idle' AND "
                         "result = 'blocked' AND subject_id = 3") == "2");

  portal.exec("UPDATE accounts SET org_unit_id = 2 WHERE id = 5");  // a colleague in 民政局
  portal.exec("UPDATE accounts SET status = 'enabled' WHERE id = 5");
  auto role = portal.portalsync({"role", "set", "tsai.left", "agency_admin"});
  INFO(role.out << role.err);
  REQUIRE(role.exit_code == 0);
  REQUIRE(sync(portal).exit_code == 0);
  CHECK(portal.query_one("SELECT status FROM accounts WHERE id = 3") == "disabled");
  CHECK(slapd.search(portal.base_dn(), "(uid=wang.xm)").at(0).first("pwdaccountlockedtime") ==
        "000001010000Z");
}

TEST_CASE("a custodian's reserved disable is blocked until custody is transferred",
          "[cli][lifecycle][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (1, 'household.mail', 'mail', '戶政科信箱', 3, 2)");
  REQUIRE(portal
              .portalsync({"schedule", "add", "--account", "lin.wei", "--kind", "disable",
                           "--reason", "退休", "--at", utc_in(-60)})
              .exit_code == 0);
  REQUIRE(sync(portal).exit_code == 2);  // a blocked reserved change: the run did not do it all
  CHECK(portal.query_one("SELECT state FROM scheduled_changes") == "blocked");
  CHECK_THAT(portal.query_one("SELECT outcome FROM scheduled_changes"),
             Catch::Contains("custodian of household.mail (mail): hand custody"));
  auto wrong_unit = portal.portalsync({"custody", "transfer", "household.mail", "--to", "wang.xm"});
  CHECK(wrong_unit.exit_code == 1);
  CHECK_THAT(wrong_unit.err, Catch::Contains("wang.xm is not in 戶政科"));
  REQUIRE(portal.portalsync({"custody", "transfer", "household.mail", "--to", "chen.yating"})
              .exit_code == 0);
  REQUIRE(portal
              .portalsync({"schedule", "add", "--account", "lin.wei", "--kind", "disable",
                           "--reason", "退休", "--at", utc_in(-30)})
              .exit_code == 0);
  REQUIRE(sync(portal).exit_code == 0);
  CHECK(portal.query_one("SELECT status FROM accounts WHERE id = 2") == "disabled");
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log WHERE category = 'custody'") == "1");
}

TEST_CASE("a mixed batch is refused naming every offending row and nothing is written",
          "[cli][lifecycle]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  write_file(portal.dir().file("batch.csv"),
             "\xEF\xBB\xBFusername,kind,target_unit,target_role,reason,effective_at\n"
             "chen.yating,disable,,,整併,2026-12-01\n"
             "lin.wei,disable,,,整併,2026-12-01\n"
             "wang.xm,disable,,,整併,2026-12-01\n");
  auto r = portal.portalsync({"schedule", "add", "--batch", portal.dir().file("batch.csv")});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("row 2 (lin.wei): role user, the batch's is agency_admin"));
  CHECK_THAT(r.err, Catch::Contains("row 3 (wang.xm): unit 2"));
  CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes") == "0");
}

TEST_CASE(
    "emptying the accounts table trips the guard, the directory stays, approval lets it through",
    "[cli][lifecycle][guard][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  auto sample = portal.sample(200, 20);
  INFO(sample.out << sample.err);
  REQUIRE(sample.exit_code == 0);
  portal.exec("UPDATE accounts SET last_login_at = '" + utc_in(0) + "'");
  REQUIRE(sync(portal).exit_code == 0);
  portal.exec("DELETE FROM accounts");
  auto held = sync(portal);
  INFO(held.out << held.err);
  CHECK(held.exit_code == 3);
  CHECK_THAT(held.out, Catch::Contains("HELD"));
  CHECK(slapd.search(portal.base_dn(), kPersonalAccountsFilter, {"1.1"}).size() == 200);
  auto id = portal.query_one("SELECT id FROM ps_holds WHERE state = 'held'");
  REQUIRE_FALSE(id.empty());
  REQUIRE(portal.portalsync({"approve", id}).exit_code == 0);
  auto released = sync(portal);
  INFO(released.out << released.err);
  CHECK(released.exit_code == 0);
  CHECK(slapd.search(portal.base_dn(), kPersonalAccountsFilter, {"1.1"}).empty());
  CHECK(portal.query_one("SELECT state FROM ps_holds") == "released");
}
