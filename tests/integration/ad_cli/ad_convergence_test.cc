// Convergence on DN-valued attributes against Samba AD: AD returns the escapes we write ("\;",
// "\=") as hex ("\3B", "\3D"), so manager and member must be compared as DNs. A second plan after
// the sync must be empty.
#include <catch2/catch.hpp>

#include "ad_cli_helpers.h"
#include "tests/support/hostile_units.h"

using namespace ad_cli;

TEST_CASE("ad flavor: hostile unit names: manager and member converge, the second plan is empty",
          "[ad][sync][dn]") {
  AdPortal p("ad-hostile", groups_yaml("OU=ad-hostile,DC=portal,DC=test"));
  p.portal.exec(hostile_units_sql("hz"));
  auto first = p.sync();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);

  const auto n = hostile_unit_names().size();
  auto boxes = p.dc.admin_client().search(p.base, "(employeeType=shared-mail)", {"manager"});
  REQUIRE(boxes);
  REQUIRE(boxes->size() == n);
  for (const auto& b : boxes.value()) {
    INFO(b.dn << " manager " << b.first("manager"));
    auto custodian = p.dc.admin_client().read(b.first("manager"), {"sAMAccountName"});
    REQUIRE(custodian);
    CHECK_THAT(custodian->first("sAMAccountName"), Catch::StartsWith("hz.c"));
  }
  auto members = group_members(p.dc, "CN=hz-hostile,OU=groups," + p.base);
  REQUIRE(members);
  CHECK(members->size() == n);

  auto plan = p.portal.portalsync({"plan", "--json"});
  INFO(plan.out);
  CHECK_THAT(plan.out, Catch::Contains("\"operations\":[]"));
  auto second = p.sync();
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("0 operations planned"));
}
