// Loud breaches against a real slapd: the portal disables a custodian and moves away the only
// agency admin of a unit. Both changes apply (the portal is the master); the runs name what they
// left behind in their output, the change log (once when it starts, once when it ends) and
// `custody list --orphaned`, until custody is handed over.
#include <catch2/catch.hpp>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

std::string breach_records(const PortalFixture& portal, const std::string& result) {
  return portal.query_one(
      "SELECT count(*) FROM ps_change_log WHERE category = 'custody breach' "
      "AND result = '" +
      result + "'");
}

}  // namespace

TEST_CASE("a portal-side disable of a custodian applies and is named until custody is handed over",
          "[cli][lifecycle][custody]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (1, 'household.mail', 'mail', '戶政科信箱', 3, 2);"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "
      "VALUES (6, 'kao.clerk', '高書記', 2, 'enabled');");
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, !Catch::Contains("BREACH"));

  // The portal disables the custodian and moves 民政局's only agency admin to 教育局.
  portal.exec(
      "UPDATE accounts SET status = 'disabled' WHERE username = 'lin.wei';"
      "UPDATE accounts SET org_unit_id = 4 WHERE username = 'wang.xm';");
  auto plan = portal.portalsync({"plan"});
  CHECK_THAT(plan.out, Catch::Contains("BREACH   shared account household.mail has no custodian "
                                       "in its unit: its custodian lin.wei is disabled"));
  auto sync = portal.portalsync({"sync", "--once"});
  INFO(sync.out << sync.err);
  CHECK(sync.exit_code == 0);  // a breach is not a failure of the sync: the change applied
  CHECK_THAT(sync.out, Catch::Contains("BREACH   shared account household.mail"));
  CHECK_THAT(sync.out,
             Catch::Contains("BREACH   unit 民政局: 民政局 has no enabled agency admin (its agency "
                             "admin left the unit)"));
  CHECK_THAT(sync.err, Catch::Contains("custody breach: shared account household.mail"));
  auto lin = slapd.search(portal.base_dn(), "(uid=lin.wei)", {"pwdAccountLockedTime"});
  REQUIRE(lin.size() == 1);
  CHECK(lin[0].first("pwdaccountlockedtime") == "000001010000Z");
  CHECK(slapd.search("ou=教育局,ou=臺南市政府," + portal.base_dn(), "(uid=wang.xm)").size() == 1);
  CHECK(breach_records(portal, "open") == "2");
  CHECK(portal.query_one("SELECT subject_name FROM ps_change_log WHERE category = 'custody breach' "
                         "AND kind = 'shared_account'") == "household.mail");

  // Named again by every run, recorded only once.
  auto again = portal.portalsync({"sync", "--once"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("BREACH   shared account household.mail"));
  CHECK(breach_records(portal, "open") == "2");
  auto orphaned = portal.portalsync({"custody", "list", "--orphaned"});
  INFO(orphaned.out << orphaned.err);
  CHECK(orphaned.exit_code == 0);
  CHECK_THAT(orphaned.out, Catch::Contains("custody breaches (2)"));
  CHECK_THAT(orphaned.out, Catch::Contains("household.mail"));
  auto json = portal.portalsync({"custody", "list", "--orphaned", "--json"});
  CHECK_THAT(json.out, Catch::Contains(R"("kind":"orphaned shared account")"));
  CHECK_THAT(json.out, Catch::Contains(R"("subject":"household.mail")"));
  CHECK_THAT(json.out, Catch::Contains(R"("kind":"unit without admin")"));

  // Handover: a new custodian in the unit, a new agency admin in 民政局.
  REQUIRE(portal.portalsync({"custody", "transfer", "household.mail", "--to", "chen.yating"})
              .exit_code == 0);
  REQUIRE(portal.portalsync({"role", "set", "kao.clerk", "agency_admin"}).exit_code == 0);
  auto now_listed = portal.portalsync({"custody", "list", "--orphaned"});
  CHECK_THAT(now_listed.out, Catch::Contains("custody breaches (0)"));
  auto fixed = portal.portalsync({"sync", "--once"});
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK_THAT(fixed.out, !Catch::Contains("BREACH"));
  CHECK_THAT(fixed.err, Catch::Contains("custody breach resolved: shared account household.mail"));
  CHECK(breach_records(portal, "resolved") == "2");
  CHECK(breach_records(portal, "open") == "2");
  auto quiet = portal.portalsync({"sync", "--once"});
  CHECK(breach_records(portal, "resolved") == "2");
}
