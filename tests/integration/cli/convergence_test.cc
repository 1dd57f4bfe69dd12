// Convergence on DN-valued attributes against a real slapd: units named with every character a
// DN escapes, custodians in them (manager) and group members. slapd returns some escapes its own
// way ("#" as "\23"); a second plan after the sync must still be empty.
#include <catch2/catch.hpp>
#include <set>

#include "core/dn.h"
#include "tests/support/hostile_units.h"
#include "tests/support/portal_fixture.h"

using namespace ps::testing;

TEST_CASE("hostile unit names: manager and member converge, the second plan is empty",
          "[cli][sync][dn][portable]") {
  SlapdServer slapd;
  const std::string groups = "ou=groups," + std::string("ou=portal,dc=example,dc=org");
  PortalFixture portal(slapd, "  groups_dn: \"" + groups + "\"\n");
  portal.exec(hostile_units_sql("hx"));
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);

  // Every shared account names its custodian, read back as the same DN the custodian has.
  const auto n = hostile_unit_names().size();
  auto users = slapd.search(portal.base_dn(), kPersonalAccountsFilter, {"uid"});
  REQUIRE(users.size() == n);
  std::set<std::string> user_dns;
  for (const auto& u : users) user_dns.insert(ps::normalize_dn(u.dn));
  auto boxes = slapd.search(portal.base_dn(), "(employeeType=shared-mail)", {"manager", "uid"});
  REQUIRE(boxes.size() == n);
  for (const auto& b : boxes) {
    INFO(b.dn << " manager " << b.first("manager"));
    CHECK(user_dns.count(ps::normalize_dn(b.first("manager"))) == 1);
  }
  auto group = slapd.search(groups, "(cn=hx-hostile)", {"member"});
  REQUIRE(group.size() == 1);
  std::set<std::string> members;
  for (const auto& m : *group[0].find("member")) members.insert(ps::normalize_dn(m));
  CHECK(members == user_dns);

  auto plan = portal.portalsync({"plan", "--json"});
  INFO(plan.out);
  CHECK_THAT(plan.out, Catch::Contains("\"operations\":[]"));
  auto second = portal.portalsync({"sync", "--once"});
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("0 operations planned"));
  // A journal run of every custodian changes nothing either.
  portal.exec("UPDATE accounts SET title = title");
  auto journal = portal.portalsync({"sync", "--once", "--journal"});
  INFO(journal.out << journal.err);
  CHECK(journal.exit_code == 0);
  CHECK_THAT(journal.out, Catch::Contains("0 operations planned"));
  // A journal run of one account reads only it of the accounts, and the custodians: no shared
  // account outside its scope is said to have lost its custodian.
  portal.exec("UPDATE accounts SET title = '科員' WHERE id = (SELECT min(id) FROM accounts)");
  auto one = portal.portalsync({"sync", "--once", "--journal"});
  INFO(one.out << one.err);
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("1 operations planned"));
  CHECK_THAT(one.out + one.err, !Catch::Contains("synced without manager"));
}
