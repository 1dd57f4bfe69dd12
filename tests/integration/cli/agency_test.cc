// Agencies and the person key against a real slapd, read back with ldapsearch: the agency in `o`
// once units are marked (nothing new before), custody transfer within the agency, a bad level
// frozen; and the person key a sign-on service computes on its own (python3 hmac) to find every
// account of a person, with no national ID in the directory.
#include <catch2/catch.hpp>
#include <set>

#include "tests/support/portal_fixture.h"
#include "tests/support/sso_person_key.h"

using namespace ps::testing;

namespace {

// seed_small_tree plus 永康區公所 (under 民政局) and 復興國小 (under 教育局), with yk.clerk in
// the district office and household.mail in 戶政科, kept by lin.wei.
void seed_three_levels(const PortalFixture& portal) {
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 2, 'A01-D1', '永康區公所'), "
      "(6, 4, 'A02-S1', '復興國小');"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(6, 'yk.clerk', '永康課員', 5, 'enabled');"
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (1, 'household.mail', 'mail', '戶政科信箱', 3, 2)");
}

void mark_agencies(const PortalFixture& portal) {
  portal.exec(
      "UPDATE org_units SET is_agency = 1, agency_level = CASE id WHEN 1 THEN 1 WHEN 2 THEN 2 "
      "WHEN 4 THEN 2 ELSE 3 END WHERE id IN (1, 2, 4, 5, 6)");
}

std::string agency_of(const SlapdServer& slapd, const PortalFixture& portal,
                      const std::string& username) {
  auto found = slapd.search(portal.base_dn(), "(uid=" + username + ")");
  REQUIRE(found.size() == 1);
  return found[0].has("o") ? found[0].first("o") : "(none)";
}

}  // namespace

TEST_CASE(
    "agencies on a three-level tree: o names the agency, custody moves within it, a bad "
    "level freezes",
    "[cli][agency][portable][not-on-mariadb]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  seed_three_levels(portal);
  REQUIRE(portal.portalsync({"sync", "--once"}).ok());
  CHECK(agency_of(slapd, portal, "chen.yating") == "(none)");  // nothing marked: nothing new
  auto per_unit = portal.portalsync({"custody", "transfer", "household.mail", "--to", "wang.xm"});
  CHECK(per_unit.exit_code != 0);
  CHECK_THAT(per_unit.err + per_unit.out, Catch::Contains("is not in 戶政科, the unit of"));

  mark_agencies(portal);
  auto marked = portal.portalsync({"sync", "--once"});
  INFO(marked.out << marked.err);
  REQUIRE(marked.ok());
  CHECK(agency_of(slapd, portal, "chen.yating") == "民政局");  // sits in 戶政科
  CHECK(agency_of(slapd, portal, "yk.clerk") == "永康區公所");
  CHECK(agency_of(slapd, portal, "huang.pending") == "教育局");
  CHECK(agency_of(slapd, portal, "household.mail") == "民政局");
  CHECK(portal.plan_is_empty());

  // wang.xm sits in 民政局 itself, the agency of 戶政科; yk.clerk is another agency.
  auto inside = portal.portalsync({"custody", "transfer", "household.mail", "--to", "wang.xm"});
  INFO(inside.out << inside.err);
  CHECK(inside.ok());
  CHECK(portal.query_one("SELECT custodian_id FROM shared_accounts WHERE id = 1") == "3");
  auto outside = portal.portalsync({"custody", "transfer", "household.mail", "--to", "yk.clerk"});
  CHECK(outside.exit_code != 0);
  CHECK_THAT(outside.err + outside.out, Catch::Contains("is not in 民政局, the agency of"));
  auto idle = portal.portalsync({"idle", "report", "--json"});
  CHECK(idle.ok());

  // --agency: 民政局 down to, not into, 永康區公所 below it, unless --with-subagencies.
  auto records = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"audit", "query", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = portal.portalsync(args);
    INFO(r.err);
    CHECK(r.ok());
    return r.out;
  };
  auto bureau = records({"--agency", "A01"});
  CHECK_THAT(bureau, Catch::Contains("chen.yating"));
  CHECK_THAT(bureau, Catch::Contains("wang.xm"));
  CHECK(bureau.find("yk.clerk") == std::string::npos);
  CHECK(bureau.find("tsai.left") == std::string::npos);
  CHECK_THAT(records({"--agency", "A01", "--with-subagencies"}), Catch::Contains("yk.clerk"));
  auto unit_not_agency = portal.portalsync({"audit", "query", "--agency", "A01-1"});
  CHECK(unit_not_agency.exit_code != 0);
  CHECK_THAT(unit_not_agency.err, Catch::Contains("\"A01-1\" is a unit, not an agency"));
  CHECK(portal.portalsync({"audit", "query", "--with-subagencies"}).exit_code != 0);
  for (const char* who : {"lin.wei", "yk.clerk"})
    REQUIRE(portal
                .portalsync({"schedule", "add", "--account", who, "--kind", "disable", "--at",
                             "2027-01-04", "--reason", "離職"})
                .ok());
  auto listed = portal.portalsync({"schedule", "list", "--agency", "A01"});
  CHECK_THAT(listed.out, Catch::Contains("lin.wei"));
  CHECK(listed.out.find("yk.clerk") == std::string::npos);
  CHECK_THAT(portal.portalsync({"schedule", "list", "--agency", "A01", "--with-subagencies"}).out,
             Catch::Contains("yk.clerk"));
  CHECK(portal.portalsync({"schedule", "list", "--agency", "A01-1"}).exit_code != 0);

  // 永康區公所 at its parent agency's level: rejected, its entries frozen, not deleted.
  portal.exec("UPDATE org_units SET agency_level = 2 WHERE id = 5");
  auto frozen = portal.portalsync({"sync", "--once"});
  CHECK_THAT(frozen.out + frozen.err,
             Catch::Contains("agency_level 2 is not deeper than level 2 of its parent agency"));
  CHECK(agency_of(slapd, portal, "yk.clerk") == "永康區公所");
  CHECK(slapd.search(portal.base_dn(), "(ou=永康區公所)").size() == 1);
}

TEST_CASE(
    "person key: a sign-on service finds every account of a person with the shared key and "
    "no national ID in the directory",
    "[cli][agency][person-key]") {
  SlapdServer slapd;
  TempDir keys;
  auto key_file = keys.file("person.key");
  write_file(key_file, "3f6c0a1be97d4c52a8e1f0b7d6c5e4a3b2c1d0e9f8a7b6c5\n", 0600);
  PortalFixture portal(
      slapd, "  person_key:\n    attribute: employeeNumber\n    key_file: \"" + key_file + "\"\n");
  portal.seed_small_tree();
  // The same person's second account, after a transfer to 教育局; written as the portal may.
  portal.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status, national_id) VALUES "
      "(6, 'chen.edu', '陳雅婷', 4, 'enabled', ' d223456789 ')");
  auto synced = portal.portalsync({"sync", "--once"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.ok());

  // The sign-on service's side: the key and the national ID from a certificate login.
  auto key = sso_person_key(key_file, "D223456789");
  std::set<std::string> found;
  for (const auto& e : slapd.search(portal.base_dn(), "(employeeNumber=" + key + ")"))
    found.insert(e.first("uid"));
  CHECK(found == std::set<std::string>{"chen.yating", "chen.edu"});
  CHECK(slapd.search(portal.base_dn(), "(uid=lin.wei)").at(0).first("employeeNumber") != key);

  // Nowhere in the directory or the run's output.
  std::string everything = synced.out + synced.err;
  for (const auto& e : slapd.search(portal.base_dn()))
    for (const auto& [type, values] : e.attrs)
      for (const auto& v : values) everything += v + "\n";
  for (const auto* id : {"D223456789", "d223456789", "R123456780"})
    CHECK(everything.find(id) == std::string::npos);
  CHECK(portal.plan_is_empty());

  // The portal clears the national ID: the digest goes with it.
  portal.exec("UPDATE accounts SET national_id = NULL WHERE id = 6");
  REQUIRE(portal.portalsync({"sync", "--once"}).ok());
  CHECK_FALSE(slapd.search(portal.base_dn(), "(uid=chen.edu)").at(0).has("employeeNumber"));

  // A short key is refused before anything runs.
  write_file(key_file, "too-short\n", 0600);
  auto refused = portal.portalsync({"check-config"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.out + refused.err, Catch::Contains("the key must be 32 or more"));
}
