// Entitlement groups in a real slapd: groupOfNames members follow grants, transfers and status.
// A group per agency (directory.agency_groups) after a transfer between agencies, a disable and
// an agency unmarked; and the change log naming each record's agency, found by it and sealed
// with it (a forged agency fails `audit verify`).
#include <catch2/catch.hpp>
#include <set>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

const std::string kGroups = "ou=groups,ou=portal,dc=example,dc=org";
const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";
const std::string kCivil = "ou=民政局," + kCity;
const std::string kHousehold = "ou=戶政科," + kCivil;
const std::string kEducation = "ou=教育局," + kCity;

std::set<std::string> members_of(const SlapdServer& slapd, const std::string& cn) {
  auto found = slapd.search(kGroups, "(cn=" + cn + ")", {"member"});
  if (found.empty()) return {};
  auto it = found[0].attrs.find("member");
  return it == found[0].attrs.end() ? std::set<std::string>{}
                                    : std::set<std::string>(it->second.begin(), it->second.end());
}

std::string audit_json(const PortalFixture& portal, const std::string& agency) {
  auto r = portal.portalsync({"audit", "query", "--format", "json", "--agency", agency});
  INFO(r.err);
  CHECK(r.ok());
  return r.out;
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

TEST_CASE(
    "agency groups in slapd follow transfers, disables and unmarking, and records name their "
    "agency",
    "[cli][agency][groups]") {
  SlapdServer slapd;
  PortalFixture portal(
      slapd, "  groups_dn: \"" + kGroups + "\"\n  agency_groups: \"agency-{code}\"\n  posix: {}\n");
  portal.seed_small_tree();
  // 臺南市政府 (1) -> 民政局 (2, with 戶政科) and 教育局 (4).
  portal.exec(
      "UPDATE org_units SET is_agency = 1, agency_level = CASE id WHEN 1 THEN 1 ELSE 2 END "
      "WHERE id IN (1, 2, 4)");
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.ok());
  CHECK(members_of(slapd, "agency-A01") == std::set<std::string>{"uid=chen.yating," + kHousehold,
                                                                 "uid=lin.wei," + kHousehold,
                                                                 "uid=wang.xm," + kCivil});
  // 教育局's accounts are pending or disabled; 臺南市政府 has none of its own.
  CHECK(members_of(slapd, "agency-A02") == std::set<std::string>{"cn=agency-A02," + kGroups});
  CHECK(members_of(slapd, "agency-A00") == std::set<std::string>{"cn=agency-A00," + kGroups});
  auto group = slapd.search(kGroups, "(cn=agency-A01)", {"gidNumber", "description"});
  REQUIRE(group.size() == 1);
  CHECK(group[0].first("description") == "民政局");
  CHECK(portal.query_one("SELECT number FROM ps_posix_ids WHERE kind = 'group' AND "
                         "portal_id = -2") == group[0].first("gidNumber"));

  // lin.wei transfers to 教育局, wang.xm is disabled.
  portal.exec(
      "UPDATE accounts SET org_unit_id = 4 WHERE id = 2;"
      "UPDATE accounts SET status = 'disabled' WHERE id = 3");
  REQUIRE(portal.portalsync({"sync", "--once"}).ok());
  CHECK(members_of(slapd, "agency-A01") == std::set<std::string>{"uid=chen.yating," + kHousehold});
  CHECK(members_of(slapd, "agency-A02") == std::set<std::string>{"uid=lin.wei," + kEducation});
  CHECK(portal.plan_is_empty());

  // The change log: lin.wei's add names 民政局 and stays there; the transfer names 教育局 and
  // is found from 民政局 too (the unit it left).
  CHECK(portal.query_one("SELECT agency_id FROM ps_change_log WHERE subject_name = 'lin.wei' "
                         "AND operation = 'add'") == "2");
  CHECK(portal.query_one("SELECT agency_id FROM ps_change_log WHERE subject_name = 'lin.wei' "
                         "AND operation = 'move' AND outcome_of IS NULL") == "4");
  auto civil = audit_json(portal, "A01");
  CHECK_THAT(civil, Catch::Contains("\"subject\":\"lin.wei\""));
  CHECK_THAT(civil, Catch::Contains("\"agency_id\":2"));
  auto education = audit_json(portal, "A02");
  CHECK_THAT(education, Catch::Contains("\"subject\":\"lin.wei\""));
  CHECK(education.find("\"agency_id\":2") == std::string::npos);

  // 教育局 unmarked: its group is deleted, lin.wei belongs to 臺南市政府 now.
  portal.exec("UPDATE org_units SET is_agency = 0, agency_level = NULL WHERE id = 4");
  REQUIRE(portal.portalsync({"sync", "--once"}).ok());
  CHECK(slapd.search(kGroups, "(cn=agency-A02)").empty());
  CHECK(members_of(slapd, "agency-A00") == std::set<std::string>{"uid=lin.wei," + kEducation});
  CHECK(portal.plan_is_empty());

  auto intact = portal.portalsync({"audit", "verify"});
  INFO(intact.out << intact.err);
  CHECK(intact.exit_code != 4);  // no key here: "not tamper-evident", but no damage
  CHECK_THAT(intact.out, Catch::Contains("No damage found"));
  auto forged = run({"sqlite3", portal.database(),
                     "UPDATE ps_change_log SET agency_id = 4 WHERE agency_id = 2 AND "
                     "subject_name = 'lin.wei' AND operation = 'add'"});
  REQUIRE(forged.exit_code == 0);
  auto broken = portal.portalsync({"audit", "verify"});
  CHECK(broken.exit_code == 4);
  CHECK_THAT(broken.out, Catch::Contains("was changed after it was sealed"));
}
