// Promises at their edges, from the command line against a real slapd (issue 14): an approval is
// bound to the set it was given for and dies with a run that does not trip the guard; reserved
// changes that cannot be understood fail loudly with exit 2; what a run did not apply stays in
// scope for the next journal run.
#include <catch2/catch.hpp>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

const std::string kGuard = "sync:\n  max_disables: 1\n";

RunResult sync(const PortalFixture& p) { return p.portalsync({"sync", "--once"}); }
RunResult journal_sync(const PortalFixture& p) {
  return p.portalsync({"sync", "--once", "--journal"});
}

std::string newest_hold(const PortalFixture& p, const std::string& what) {
  return p.query_one("SELECT " + what + " FROM ps_holds ORDER BY id DESC LIMIT 1");
}

}  // namespace

TEST_CASE("an approval dies with a run that does not trip the guard, the same change is held anew",
          "[cli][guard][promises]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, kGuard);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  const std::string disable = "UPDATE accounts SET status = 'disabled' WHERE id IN (1, 2)";
  portal.exec(disable);
  auto held = sync(portal);
  INFO(held.out << held.err);
  REQUIRE(held.exit_code == 3);
  auto first = newest_hold(portal, "id");
  REQUIRE(portal.portalsync({"approve", first}).exit_code == 0);

  portal.exec("UPDATE accounts SET status = 'enabled' WHERE id IN (1, 2)");  // reverted
  auto calm = sync(portal);
  INFO(calm.out << calm.err);
  CHECK(calm.exit_code == 0);
  CHECK(portal.query_one("SELECT state FROM ps_holds WHERE id = " + first) == "expired");

  portal.exec(disable);  // the same mass change again, later
  auto again = sync(portal);
  INFO(again.out << again.err);
  CHECK(again.exit_code == 3);
  CHECK_THAT(again.out, Catch::Contains("HELD"));
  CHECK_THAT(again.out + again.err, !Catch::Contains("approved by"));
  auto second = newest_hold(portal, "id");
  CHECK(second != first);
  CHECK(newest_hold(portal, "state") == "held");
  CHECK_FALSE(portal.plan_is_empty());  // nothing was sent

  REQUIRE(portal.portalsync({"approve", second}).exit_code == 0);
  auto sent = sync(portal);
  INFO(sent.out << sent.err);
  CHECK(sent.exit_code == 0);
  CHECK_THAT(sent.out, Catch::Contains("APPROVED") && Catch::Contains("under hold " + second));
  CHECK_THAT(sent.out, !Catch::Contains("HELD") && !Catch::Contains("would hold"));
  CHECK(newest_hold(portal, "state") == "released");
  CHECK(portal.plan_is_empty());
  auto log = portal.portalsync({"audit", "query", "--category", "approval"});
  CHECK_THAT(log.out, Catch::Contains("expire hold"));
}

TEST_CASE("reserved changes that cannot be understood are failed, listed and exit 2",
          "[cli][lifecycle][promises][portable][not-on-postgresql]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  portal.exec(R"(
    INSERT INTO scheduled_changes(id, account_id, kind, target_org_unit_id, reason, effective_at,
                                  requested_by) VALUES
      (1, 2, 'disable', NULL, 'no offset', '2026-12-01 08:00', 'portal'),
      (2, 2, 'disable', NULL, 'words', 'next monday', 'portal'),
      (3, 2, 'disable', NULL, 'no such day', '2026-02-30T08:00:00+08:00', 'portal'),
      (4, 2, 'freeze', NULL, 'unknown kind', '2026-01-01T08:00:00+08:00', 'portal'),
      (5, 2, 'transfer', 99, 'no such unit', '2026-01-01T08:00:00+08:00', 'portal'))");
  auto listed = portal.portalsync({"schedule", "list"});
  CHECK_THAT(listed.out, Catch::Contains("cannot run: effective_at \"next monday\""));
  auto plan = portal.portalsync({"plan", "--json"});
  CHECK_THAT(plan.out, Catch::Contains("\"state\":\"failed\"") &&
                           Catch::Contains("2026-12-01T08:00:00+08:00") &&
                           Catch::Contains("kind \\\"freeze\\\""));

  auto run = sync(portal);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.out, Catch::Contains("5 reserved changes failed or blocked"));
  CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes WHERE state = 'failed'") == "5");
  CHECK_THAT(portal.query_one("SELECT outcome FROM scheduled_changes WHERE id = 1"),
             Catch::Contains("write it like 2026-12-01T08:00:00+08:00"));
  auto after = portal.portalsync({"schedule", "list", "--json"});
  CHECK_THAT(after.out, Catch::Contains("target unit 99 does not exist"));
  CHECK(portal.query_one("SELECT status FROM accounts WHERE id = 2") == "enabled");
  CHECK(sync(portal).exit_code == 0);  // decided once; nothing left to refuse
}

TEST_CASE("a held operation stays in scope and the next journal run sends it",
          "[cli][journal][promises][portable][not-on-mariadb]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, kGuard);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE id IN (1, 2)");
  auto held = journal_sync(portal);
  INFO(held.out << held.err);
  REQUIRE(held.exit_code == 3);
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_journal") == "0");  // trimmed...
  CHECK(portal.query_one("SELECT count(*) FROM ps_quarantine WHERE failures = 0") == "2");
  auto list = portal.portalsync({"quarantine", "list"});
  CHECK_THAT(list.out, Catch::Contains("pending"));
  REQUIRE(portal.portalsync({"approve", newest_hold(portal, "id")}).exit_code == 0);
  auto sent = journal_sync(portal);  // ...yet the journal run plans them again
  INFO(sent.out << sent.err);
  CHECK(sent.exit_code == 0);
  CHECK_THAT(sent.out, Catch::Contains("APPROVED"));
  CHECK(portal.query_one("SELECT count(*) FROM ps_quarantine") == "0");
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a released quarantine is sent by the next journal run",
          "[cli][journal][promises][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, "sync:\n  quarantine_after: 1\n");
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  // slapd refuses a mail value outside IA5: the account is quarantined after one failed run.
  portal.exec("UPDATE accounts SET email = '陳雅婷@tainan.gov.tw', title = '股長' WHERE id = 1");
  auto failed = journal_sync(portal);
  INFO(failed.out << failed.err);
  CHECK(failed.exit_code == 2);
  REQUIRE(portal.query_one("SELECT quarantined FROM ps_quarantine WHERE portal_id = 1") == "1");
  portal.exec("UPDATE accounts SET email = 'chen.yating@tainan.gov.tw' WHERE id = 1");
  auto quiet = journal_sync(portal);  // quarantined: its operations are held
  CHECK(quiet.exit_code == 2);
  auto released = portal.portalsync({"quarantine", "release", "account", "1"});
  CHECK(released.exit_code == 0);
  // Quarantined once and released once, each recorded about the account, in its unit (戶政科).
  for (auto operation : {"quarantine", "release"})
    CHECK(portal.query_one(std::string("SELECT count(*) FROM ps_change_log WHERE operation = '") +
                           operation +
                           "' AND category = 'quarantine' AND kind = 'account' AND subject_id = "
                           "1 AND subject_name = 'chen.yating' AND unit_id = 3") == "1");
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_journal") != "0");  // wakes the daemon
  auto sent = journal_sync(portal);
  INFO(sent.out << sent.err);
  CHECK(sent.exit_code == 0);
  CHECK(portal.plan_is_empty());
  CHECK(portal.query_one("SELECT count(*) FROM ps_quarantine") == "0");
}
