// One person's accounts by national ID, for a sign-on account chooser: enabled first, the agency
// of each, the ID compared as the person key normalises it.
#include <catch2/catch.hpp>

#include "core/person_accounts.h"

using namespace ps;

namespace {

Account account(RowId id, const char* username, RowId unit, const char* status, const char* nid) {
  Account a;
  a.id = id;
  a.org_unit_id = unit;
  a.set_username(username);
  a.set_status(status);
  a.set_national_id(nid);
  return a;
}

// 臺南市政府 (agency) -> 教育局 (agency) -> 學務科, 復興國小 (agency).
PortalSnapshot portal() {
  PortalSnapshot p;
  p.units = {{1, std::nullopt, "A00", "臺南市政府", true, true, 1},
             {2, 1, "A02", "教育局", true, true, 2},
             {3, 2, "A02-1", "學務科"},
             {4, 2, "A02-S1", "復興國小", true, true, 3}};
  p.accounts = {account(1, "old.edu", 3, "disabled", "E123456789"),
                account(2, "fx.teacher", 4, "enabled", "e123456789 "),
                account(3, "new.edu", 3, "pending", "E123456789"),
                account(4, "a.teacher", 4, "enabled", "E123456789"),
                account(5, "someone", 3, "enabled", "F223456789"),
                account(6, "no.id", 3, "enabled", "")};
  return p;
}

std::vector<std::string> names(const std::vector<PersonAccount>& found) {
  std::vector<std::string> out;
  for (const auto& f : found) out.emplace_back(f.account->username());
  return out;
}

}  // namespace

TEST_CASE("person accounts: enabled first, then pending, then disabled, each by username",
          "[persons]") {
  auto p = portal();
  auto found = person_accounts(p, " e123456789");
  CHECK(names(found) == std::vector<std::string>{"a.teacher", "fx.teacher", "new.edu", "old.edu"});
  REQUIRE(found[0].agency);
  CHECK(found[0].agency->name == "復興國小");
  CHECK(found[2].unit->name == "學務科");
  CHECK(found[2].agency->name == "教育局");  // 學務科 is a unit of 教育局
  CHECK(person_accounts(p, "Z999999999").empty());
  CHECK(person_accounts(p, "").empty());  // never the accounts without an ID
  CHECK(person_accounts(p, "  ").empty());
}

TEST_CASE("person accounts: what may be a national ID", "[persons]") {
  CHECK(plausible_national_id("E123456789"));
  CHECK(plausible_national_id(" e123456789 "));
  CHECK_FALSE(plausible_national_id(""));
  CHECK_FALSE(plausible_national_id("E12345678<"));
  CHECK_FALSE(plausible_national_id("E1234 56789"));
  CHECK_FALSE(plausible_national_id(std::string(33, 'A')));
  CHECK(plausible_national_id(std::string(32, 'A')));
}
