// The foundation scenarios on the ad flavor, end to end: portal (SQLite) -> `portalsync sync` ->
// Samba AD over ldaps, read back with ldapsearch as the domain administrator.
#include <catch2/catch.hpp>

#include "ad_cli_helpers.h"

using namespace ps::testing;
using namespace ad_cli;

TEST_CASE("ad flavor: a first sync creates users with their AD attributes and converges",
          "[ad][sync]") {
  AdPortal p("ad-first-sync");
  p.portal.seed_small_tree("fs");
  p.portal.exec(
      "INSERT INTO accounts(id, username, display_name, surname, given_name, org_unit_id, status) "
      "VALUES (9, 'fs.odd', '歐陽 \"小+明\", #1', '歐陽', '小明', 2, 'enabled')");
  auto sync = p.sync();
  REQUIRE(sync.exit_code == 0);

  auto chen = p.user("fs.chen");
  REQUIRE(chen);
  CHECK(chen->first("displayName") == "陳雅婷");
  CHECK(chen->first("userPrincipalName") == "fs.chen@portal.test");
  CHECK(chen->first("department") == "戶政科");
  CHECK(chen->first("company") == "臺南市政府");
  CHECK(chen->first("telephoneNumber") == "06-2991111 ext. 1234");
  CHECK(chen->first("userAccountControl") == "512");
  CHECK(ps::normalize_dn(chen->dn) ==
        ps::normalize_dn("CN=fs.chen,OU=戶政科,OU=民政局,OU=臺南市政府," + p.base));
  CHECK(p.user("fs.pending")->first("userAccountControl") == "514");
  CHECK(p.user("fs.odd")->first("displayName") == "歐陽 \"小+明\", #1");
  CHECK(p.portal.plan_is_empty());
}

TEST_CASE("ad flavor: transfer, rename, disable and enable keep the objectGUID", "[ad][sync]") {
  AdPortal p("ad-changes");
  p.portal.seed_small_tree("ch");
  REQUIRE(p.sync().exit_code == 0);
  auto guid = p.user("ch.chen")->first("objectGUID");

  p.portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE id = 1");
  p.portal.exec("UPDATE org_units SET name = '教育處' WHERE id = 4");
  p.portal.exec("UPDATE accounts SET username = 'ch.chen2' WHERE id = 1");
  p.portal.exec("UPDATE accounts SET status = 'disabled' WHERE id = 2");
  auto sync = p.sync();
  INFO(sync.out << sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK_FALSE(p.user("ch.chen"));
  auto moved = p.user("ch.chen2");
  REQUIRE(moved);
  CHECK(moved->first("objectGUID") == guid);
  CHECK(ps::normalize_dn(moved->dn) ==
        ps::normalize_dn("CN=ch.chen2,OU=教育處,OU=臺南市政府," + p.base));
  CHECK(moved->first("department") == "教育處");
  CHECK(p.user("ch.lin")->first("userAccountControl") == "514");

  p.portal.exec("UPDATE accounts SET status = 'enabled' WHERE id = 2");
  REQUIRE(p.sync().exit_code == 0);
  CHECK(p.user("ch.lin")->first("userAccountControl") == "512");
  CHECK(p.portal.plan_is_empty());
}

TEST_CASE("ad flavor: a pre-existing user is adopted, bad rows are rejected with a reason",
          "[ad][sync]") {
  AdPortal p("ad-adopt");
  p.portal.seed_small_tree("ad");
  // Made by hand in AD before portalsync ran, in another OU and under another CN.
  REQUIRE(p.dc.admin_client().add("dn: CN=Lin Wei,OU=ad-adopt," + p.dc.base_dn +
                                  "\nobjectClass: user\nsAMAccountName: ad.lin\n"
                                  "userAccountControl: 514\n"));
  auto guid = p.user("ad.lin")->first("objectGUID");
  p.portal.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(20, 'ad.this-name-is-far-too-long', '長名', 2, 'enabled'), "
      "(21, 'ad.bad[name]', '括號', 2, 'enabled')");
  auto sync = p.sync();
  INFO(sync.out << sync.err);
  CHECK_THAT(sync.out + sync.err, Catch::Contains("longer than the 20 characters"));
  CHECK_THAT(sync.out + sync.err, Catch::Contains("character AD refuses"));
  auto adopted = p.user("ad.lin");
  REQUIRE(adopted);
  CHECK(adopted->first("objectGUID") == guid);
  CHECK(ps::normalize_dn(adopted->dn) ==
        ps::normalize_dn("CN=ad.lin,OU=戶政科,OU=民政局,OU=臺南市政府," + p.base));
  CHECK(p.count("(sAMAccountName=ad.lin)") == 1);
  CHECK(p.count("(sAMAccountName=ad.bad*)") == 0);
}

TEST_CASE("ad flavor: group membership follows a unit transfer, shared accounts carry manager",
          "[ad][groups]") {
  AdPortal p("ad-groups", groups_yaml("OU=ad-groups,DC=portal,DC=test"));
  story_groups_follow_a_transfer(p.world(), "gr");
}

TEST_CASE("ad flavor: a journal run carries a transfer with its groups and manager",
          "[ad][groups][scoped]") {
  AdPortal p("ad-journal", groups_yaml("OU=ad-journal,DC=portal,DC=test"));
  story_groups_follow_a_transfer(p.world(), "jr", true);
}
