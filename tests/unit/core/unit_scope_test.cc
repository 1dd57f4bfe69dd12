// A token's units: each listed unit's subtree as the portal is now, so a unit moved away leaves
// the scope with its accounts, and "elsewhere" looks like "nowhere".
#include <catch2/catch.hpp>

#include "core/portal_lookup.h"
#include "core/unit_scope.h"

using namespace ps;

namespace {

PortalSnapshot tree() {
  PortalSnapshot p;
  p.units = {{1, std::nullopt, "A00", "市政府"},
             {2, 1, "A01", "民政局"},
             {3, 2, "A01-1", "戶政科"},
             {4, 1, "A02", "教育局"}};
  auto account = [](RowId id, const char* name, RowId unit) {
    Account a;
    a.id = id;
    a.org_unit_id = unit;
    a.set_username(name);
    return a;
  };
  p.accounts = {account(1, "chen", 3), account(2, "wang", 2), account(3, "lin", 4)};
  p.shared_accounts = {{1, "household.mail", "mail", "信箱", 3, 1}};
  p.account_systems = {{1, 9}, {3, 9}};
  return p;
}

}  // namespace

TEST_CASE("unit scope: a unit and every unit below it", "[scope]") {
  auto p = tree();
  auto scope = UnitScope::of({"A01"}, p);
  CHECK(scope.units() == std::set<RowId>{2, 3});
  CHECK(scope.has_account(p, "chen"));
  CHECK(scope.has_account(p, "wang"));
  CHECK_FALSE(scope.has_account(p, "lin"));     // elsewhere
  CHECK_FALSE(scope.has_account(p, "nobody"));  // nowhere
  CHECK(scope.has_shared(p, "household.mail"));
  CHECK_FALSE(UnitScope::of({"A02"}, p).has_shared(p, "household.mail"));
  CHECK(UnitScope().has_account(p, "nobody"));  // unlimited: the endpoint decides
}

TEST_CASE("unit scope: a unit moved out takes its accounts, an unknown code adds nothing",
          "[scope]") {
  auto p = tree();
  p.units[2].parent_id = 4;  // 戶政科 moves under 教育局
  auto scope = UnitScope::of({"A01"}, p);
  CHECK(scope.units() == std::set<RowId>{2});
  CHECK_FALSE(scope.has_account(p, "chen"));
  CHECK(UnitScope::of({"A02"}, p).has_account(p, "chen"));
  CHECK(UnitScope::of({"Z99"}, p).units().empty());
  CHECK_FALSE(UnitScope::of({"Z99"}, p).unlimited());
}

TEST_CASE("unit scope: the visible part of the portal", "[scope]") {
  auto p = tree();
  auto seen = UnitScope::of({"A01-1"}, p).visible(p);
  CHECK(seen.units.size() == 1);
  CHECK(find_account_by_username(seen, "chen"));
  CHECK_FALSE(find_account_by_username(seen, "wang"));
  CHECK_FALSE(find_unit_by_code(seen, "A02"));
  CHECK(seen.shared_accounts.size() == 1);
  CHECK(seen.account_systems.size() == 1);
}
