// Agencies and the person key on the ad flavor: company names the account's agency (the top of
// the tree until units are marked), and a sign-on service that holds the key finds a person's
// accounts in employeeNumber with its own HMAC (python3), with no national ID in AD.
#include <catch2/catch.hpp>
#include <set>

#include "ad_cli_helpers.h"
#include "tests/support/sso_person_key.h"

using namespace ps::testing;
using namespace ad_cli;

TEST_CASE("ad flavor: company follows the agency, and the person key finds a person's accounts",
          "[ad][agency][person-key]") {
  TempDir keys;
  auto key_file = keys.file("person.key");
  write_file(key_file, "9b1d5e7a3c2f4e6d8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d\n", 0600);
  AdPortal p("ad-agency",
             "  person_key:\n    attribute: employeeNumber\n    key_file: \"" + key_file + "\"\n");
  p.portal.seed_small_tree("ag");
  p.portal.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 2, 'A01-D1', '永康區公所');"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status, national_id) VALUES "
      "(6, 'ag.chen2', '陳雅婷', 5, 'enabled', 'D223456789')");
  auto first = p.sync();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(p.user("ag.chen")->first("company") == "臺南市政府");  // nothing marked: the top

  p.portal.exec(
      "UPDATE org_units SET is_agency = 1, agency_level = CASE id WHEN 1 THEN 1 WHEN 5 THEN 3 "
      "ELSE 2 END WHERE id IN (1, 2, 4, 5)");
  auto marked = p.sync();
  INFO(marked.out << marked.err);
  REQUIRE(marked.exit_code == 0);
  CHECK(p.user("ag.chen")->first("company") == "民政局");  // sits in 戶政科
  CHECK(p.user("ag.chen")->first("department") == "戶政科");
  CHECK(p.user("ag.chen2")->first("company") == "永康區公所");
  CHECK_FALSE(p.user("ag.chen")->has("o"));  // the openldap attribute stays out of AD

  auto key = sso_person_key(key_file, "D223456789");
  auto found =
      p.dc.admin_client().search(p.base, "(employeeNumber=" + key + ")", {"sAMAccountName"});
  REQUIRE(found);
  std::set<std::string> names;
  for (const auto& e : found.value()) names.insert(e.first("sAMAccountName"));
  CHECK(names == std::set<std::string>{"ag.chen", "ag.chen2"});
  auto all = p.dc.admin_client().search(p.base, "(objectClass=user)", {"*"});
  REQUIRE(all);
  for (const auto& e : all.value())
    for (const auto& [type, values] : e.attrs)
      for (const auto& v : values) CHECK(v.find("D223456789") == std::string::npos);
  CHECK(p.portal.plan_is_empty());
}
