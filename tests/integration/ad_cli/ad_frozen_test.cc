// On AD a deleted user cannot come back: a new one gets another objectGUID and SID. A row the
// portal breaks after it synced must leave its user (and a unit's OU with its users) in place.
#include <catch2/catch.hpp>

#include "ad_cli_helpers.h"

using namespace ps::testing;
using namespace ad_cli;

TEST_CASE("ad flavor: a blanked display name and a sibling-name clash delete nobody",
          "[ad][frozen]") {
  AdPortal p("ad-frozen");
  p.portal.seed_small_tree("fz");
  REQUIRE(p.sync().exit_code == 0);
  auto chen_guid = p.user("fz.chen")->first("objectGUID");
  auto pending_guid = p.user("fz.pending")->first("objectGUID");
  auto users = p.count("(&(objectClass=user)(sAMAccountName=fz.*))");
  REQUIRE(users == 5);

  p.portal.exec("UPDATE accounts SET display_name = '' WHERE id = 1");
  p.portal.exec("UPDATE org_units SET name = '教育局' WHERE id = 2");  // 教育局 (id 4) rejected
  auto run = p.sync();
  INFO(run.out << run.err);
  CHECK(run.exit_code == 2);
  CHECK(p.count("(&(objectClass=user)(sAMAccountName=fz.*))") == users);
  REQUIRE(p.user("fz.chen"));
  CHECK(p.user("fz.chen")->first("objectGUID") == chen_guid);
  CHECK(p.user("fz.chen")->first("displayName") == "陳雅婷");
  REQUIRE(p.user("fz.pending"));  // in 教育局, the frozen OU
  CHECK(p.user("fz.pending")->first("objectGUID") == pending_guid);

  p.portal.exec("UPDATE accounts SET display_name = '陳雅婷' WHERE id = 1");
  p.portal.exec("UPDATE org_units SET name = '民政局' WHERE id = 2");
  CHECK(p.sync().exit_code == 0);
  CHECK(p.portal.plan_is_empty());
}
