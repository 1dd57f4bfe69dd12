// Entitlement groups in a real slapd: groupOfNames members follow grants, transfers and status.
#include <catch2/catch.hpp>
#include <set>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

const std::string kGroups = "ou=groups,ou=portal,dc=example,dc=org";
const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";

std::set<std::string> members_of(const SlapdServer& slapd, const std::string& cn) {
  auto found = slapd.search(kGroups, "(cn=" + cn + ")", {"member"});
  if (found.empty()) return {};
  auto it = found[0].attrs.find("member");
  return it == found[0].attrs.end() ? std::set<std::string>{}
                                    : std::set<std::string>(it->second.begin(), it->second.end());
}

}  // namespace

TEST_CASE("entitlement groups follow unit grants, transfers and disables in slapd",
          "[cli][groups][portable][not-on-postgresql]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, "  groups_dn: \"" + kGroups + "\"\n");
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', 'sys-edoc');"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1);");
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(members_of(slapd, "sys-edoc") ==
        std::set<std::string>{"uid=chen.yating,ou=戶政科,ou=民政局," + kCity,
                              "uid=lin.wei,ou=戶政科,ou=民政局," + kCity,
                              "uid=wang.xm,ou=民政局," + kCity});

  portal.exec(
      "UPDATE accounts SET org_unit_id = 4 WHERE id = 2;"       // lin.wei to 教育局: leaves
      "UPDATE accounts SET status = 'disabled' WHERE id = 3");  // wang.xm disabled: leaves
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  CHECK(members_of(slapd, "sys-edoc") ==
        std::set<std::string>{"uid=chen.yating,ou=戶政科,ou=民政局," + kCity});
  CHECK(portal.query_one(
            "SELECT count(*) FROM ps_change_log WHERE kind = 'group' AND operation = 'modify'") ==
        "1");
  auto plan = portal.portalsync({"plan", "--json"});
  CHECK_THAT(plan.out, Catch::Contains("\"operations\":[]"));
}

TEST_CASE("a group of 1,600 members is written and read back whole", "[cli][groups]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, "  groups_dn: \"" + kGroups + "\"\n");
  REQUIRE(portal.sample(1900, 30).exit_code == 0);
  portal.exec(
      "UPDATE accounts SET status = 'enabled', last_login_at = '" + utc_in(0) +
      "';"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (1, 3)");  // mail for all
  auto r = portal.portalsync({"sync", "--once"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(members_of(slapd, "sys-mail").size() == 1900);
  CHECK_THAT(portal.portalsync({"plan", "--json"}).out, Catch::Contains("\"operations\":[]"));
}
