// Attacks on "a rejected row freezes, it never deletes" and "held means held", against a real
// slapd, read back with ldapsearch: a careless portal developer blanks a display name, renames a
// unit to its sibling's name, empties a table; a mass disable is held while groups are in use.
#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";
const std::string kGroups = "ou=groups," + kBase;
const std::string kCity = "ou=臺南市政府," + kBase;

// Every entry below the base with every attribute, sorted: what "exactly as it was" compares.
std::vector<std::string> snapshot(const SlapdServer& slapd) {
  std::vector<std::string> out;
  for (const auto& e : slapd.search(kBase, "(objectClass=*)", {"*", "+"})) {
    std::string line = e.dn;
    for (const auto& [name, values] : e.attrs) {
      if (name == "modifytimestamp" || name == "modifiersname" || name == "entrycsn") continue;
      auto sorted = values;
      std::sort(sorted.begin(), sorted.end());
      line += " " + name + "=";
      for (const auto& v : sorted) line += v + "|";
    }
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

RunResult sync(const PortalFixture& portal, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"sync", "--once"};
  args.insert(args.end(), extra.begin(), extra.end());
  return portal.portalsync(args);
}

std::string groups_yaml() { return "  groups_dn: \"" + kGroups + "\"\n"; }

}  // namespace

TEST_CASE("an account blanked after it synced keeps its entry, in full and journal runs",
          "[cli][frozen][portable][not-on-postgresql]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  auto before = snapshot(slapd);

  portal.exec("UPDATE accounts SET display_name = '' WHERE username = 'chen.yating'");
  auto plan = portal.portalsync({"plan"});
  CHECK_THAT(plan.out, Catch::Contains("frozen   uid=chen.yating"));
  CHECK_THAT(plan.out, !Catch::Contains("delete  account"));
  auto journal = sync(portal, {"--journal"});  // what portalsyncd does within a second
  INFO(journal.out << journal.err);
  CHECK(journal.exit_code == 2);  // a rejected row
  CHECK(snapshot(slapd) == before);
  auto full = sync(portal);
  CHECK(full.exit_code == 2);
  CHECK_THAT(full.err, Catch::Contains("kept as it is: uid=chen.yating"));
  CHECK(snapshot(slapd) == before);

  portal.exec("UPDATE accounts SET display_name = '陳雅婷' WHERE username = 'chen.yating'");
  CHECK(sync(portal).exit_code == 0);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a unit renamed to its sibling's name deletes nobody", "[cli][frozen][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  REQUIRE(sync(portal).exit_code == 0);
  auto before = snapshot(slapd);

  // 民政局 (id 2) renamed to 教育局: the lower id keeps the name, so 教育局 (id 4) is rejected and
  // its OU, with the accounts in it, must stay where it is.
  portal.exec("UPDATE org_units SET name = '教育局' WHERE id = 2");
  auto run = sync(portal);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 2);
  CHECK(slapd.search(kBase, "(objectClass=inetOrgPerson)", {"1.1"}).size() == 5);
  CHECK(snapshot(slapd) == before);  // 民政局's rename fails against the frozen OU: nothing moves

  portal.exec("UPDATE org_units SET name = '民政局' WHERE id = 2");
  CHECK(sync(portal).exit_code == 0);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a held mass disable leaves every group's members in place", "[cli][frozen]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, groups_yaml());
  portal.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府');"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "  // MariaDB's order
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
      "SELECT i, 'user' || i, '使用者' || i, 1, 'enabled' FROM n;"
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', 'sys-edoc'),"
      " (2, 'hr', '人事服務網', 'sys-hr');"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (1, 1);"
      "INSERT INTO account_systems(account_id, system_id) SELECT id, 2 FROM accounts "
      "WHERE id % 2 = 0;");
  REQUIRE(sync(portal).exit_code == 0);
  auto before = snapshot(slapd);

  portal.exec("UPDATE accounts SET status = 'disabled' WHERE id <= 600");
  auto held = sync(portal);
  INFO(held.out << held.err);
  CHECK(held.exit_code == 3);
  CHECK(snapshot(slapd) == before);  // every group read back whole: no member removed

  portal.exec("DELETE FROM accounts");  // the table emptied: held as well, groups untouched
  CHECK(sync(portal).exit_code == 3);
  CHECK(snapshot(slapd) == before);
}

TEST_CASE("an emptied org_units table changes nothing in the directory", "[cli][frozen]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, groups_yaml());
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 1, 'A03', '空的局');"
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', 'sys-edoc');"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (1, 1);");
  REQUIRE(sync(portal).exit_code == 0);
  auto before = snapshot(slapd);
  portal.exec("DELETE FROM org_units");
  auto run = sync(portal);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.out + run.err, Catch::Contains("the portal has no org units"));
  CHECK(snapshot(slapd) == before);
}
