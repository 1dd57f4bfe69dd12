// Custody breaches: what a portal-side disable or transfer of a custodian or of a sole agency
// admin leaves behind, computed from the snapshot, and recorded once when it starts and ends.
#include <catch2/catch.hpp>

#include "core/custody_breach.h"

using namespace ps;

namespace {

Account person(RowId id, std::string username, RowId unit, std::string role = "user") {
  Account a;
  a.id = id;
  a.set_username(std::move(username));
  a.set_display_name(a.username());
  a.org_unit_id = unit;
  a.set_role(std::move(role));
  a.set_status("enabled");
  return a;
}

// 民政局 (2): admin.chen (agency admin), clerk.lin (custodian of civil.mail); 教育局 (3):
// clerk.wang.
PortalSnapshot agency() {
  PortalSnapshot p;
  p.units = {{1, std::nullopt, "A00", "臺南市政府", true},
             {2, 1, "A01", "民政局", true},
             {3, 1, "A02", "教育局", true}};
  p.accounts = {person(1, "admin.chen", 2, "agency_admin"), person(2, "clerk.lin", 2),
                person(3, "clerk.wang", 3)};
  SharedAccount box;
  box.id = 7;
  box.username = "civil.mail";
  box.kind = "mail";
  box.org_unit_id = 2;
  box.custodian_id = 2;
  p.shared_accounts = {box};
  return p;
}

Account& account(PortalSnapshot& p, RowId id) {
  for (auto& a : p.accounts)
    if (a.id == id) return a;
  throw std::logic_error("no account");
}

}  // namespace

TEST_CASE("custody breaches: none while every custodian and admin is in place", "[custody]") {
  auto p = agency();
  CHECK(custody_breaches(p, units_with_enabled_admin(p)).empty());
  CHECK(units_with_enabled_admin(p) == std::set<RowId>{2});
}

TEST_CASE("custody breaches: a disabled, transferred or vanished custodian orphans the account",
          "[custody]") {
  auto p = agency();
  SECTION("disabled") {
    account(p, 2).set_status("disabled");
    auto b = custody_breaches(p, {2});
    REQUIRE(b.size() == 1);
    CHECK(b[0].kind == BreachKind::orphaned_shared_account);
    CHECK(b[0].subject == "civil.mail");
    CHECK(b[0].subject_id == 7);
    CHECK(b[0].unit_id == 2);
    CHECK_THAT(b[0].reason, Catch::Contains("its custodian clerk.lin is disabled"));
    CHECK_THAT(b[0].reason, Catch::Contains("portalsync custody transfer civil.mail --to"));
  }
  SECTION("transferred to another unit") {
    account(p, 2).org_unit_id = 3;
    auto b = custody_breaches(p, {2});
    REQUIRE(b.size() == 1);
    CHECK_THAT(b[0].reason, Catch::Contains("clerk.lin is in 教育局, not in 民政局"));
  }
  SECTION("gone from the portal") {
    p.accounts.erase(p.accounts.begin() + 1);
    auto b = custody_breaches(p, {2});
    REQUIRE(b.size() == 1);
    CHECK_THAT(b[0].reason, Catch::Contains("(account 2) is gone from the portal"));
  }
  SECTION("a disabled shared account needs no custodian") {
    account(p, 2).set_status("disabled");
    p.shared_accounts[0].status = "disabled";
    CHECK(custody_breaches(p, {2}).empty());
  }
}

TEST_CASE("custody breaches: a unit whose only agency admin is disabled or moved away",
          "[custody]") {
  auto p = agency();
  SECTION("disabled: seen even without memory of the unit") {
    account(p, 1).set_status("disabled");
    auto b = custody_breaches(p, {});
    REQUIRE(b.size() == 1);
    CHECK(b[0].kind == BreachKind::unit_without_admin);
    CHECK(b[0].subject == "民政局");
    CHECK_THAT(b[0].reason, Catch::Contains("admin.chen is disabled"));
    CHECK_THAT(b[0].reason, Catch::Contains("portalsync role set USERNAME agency_admin"));
  }
  SECTION("transferred: the unit is remembered as having had an admin") {
    account(p, 1).org_unit_id = 3;
    auto b = custody_breaches(p, {2});
    REQUIRE(b.size() == 1);
    CHECK(b[0].subject_id == 2);
    CHECK_THAT(b[0].reason, Catch::Contains("its agency admin left the unit"));
    // 教育局 now has an admin; a unit that never had one is no breach.
    CHECK(custody_breaches(p, {}).empty());
  }
  SECTION("an emptied or retired unit needs no admin") {
    account(p, 1).set_status("disabled");
    account(p, 2).set_status("disabled");
    p.shared_accounts.clear();
    CHECK(custody_breaches(p, {2}).empty());
    account(p, 2).set_status("enabled");
    p.units[1].active = false;
    CHECK(custody_breaches(p, {2}).empty());
  }
  SECTION("a second admin appointed ends it") {
    account(p, 1).set_status("disabled");
    account(p, 2).set_role("agency_admin");
    CHECK(custody_breaches(p, {2}).empty());
  }
}

TEST_CASE("custody breaches are remembered while open and forgotten when resolved", "[custody]") {
  auto p = agency();
  account(p, 1).org_unit_id = 3;  // the admin leaves 民政局
  auto open = custody_breaches(p, {2});
  REQUIRE(open.size() == 1);
  auto memory = admin_units_to_remember(p, open);
  CHECK(memory == std::set<RowId>{2, 3});
  // The next run still sees the breach, from memory, until someone is appointed.
  CHECK(custody_breaches(p, memory).size() == 1);
  account(p, 2).set_role("agency_admin");
  CHECK(custody_breaches(p, memory).empty());
}

TEST_CASE("track_breaches: a breach starts once, stays open with its first time, ends once",
          "[custody]") {
  auto p = agency();
  account(p, 2).set_status("disabled");
  auto first = track_breaches({}, custody_breaches(p, {2}), "2026-12-01T00:00:00Z");
  REQUIRE(first.started.size() == 1);
  CHECK(first.ended.empty());
  CHECK(first.open[0].since == "2026-12-01T00:00:00Z");

  auto second = track_breaches(first.open, custody_breaches(p, {2}), "2026-12-01T01:00:00Z");
  CHECK(second.started.empty());
  CHECK(second.ended.empty());
  REQUIRE(second.open.size() == 1);
  CHECK(second.open[0].since == "2026-12-01T00:00:00Z");

  p.shared_accounts[0].custodian_id = 1;  // handed over to admin.chen
  auto third = track_breaches(second.open, custody_breaches(p, {2}), "2026-12-01T02:00:00Z");
  CHECK(third.open.empty());
  REQUIRE(third.ended.size() == 1);

  auto started = breach_record(first.started[0], true, "2026-12-01T00:00:00Z");
  CHECK(started.category == "custody breach");
  CHECK(started.result == "open");
  CHECK(started.kind == SubjectKind::shared_account);
  CHECK(started.subject_name == "civil.mail");
  auto ended = breach_record(third.ended[0], false, "2026-12-01T02:00:00Z");
  CHECK(ended.result == "resolved");
  CHECK_THAT(ended.message, Catch::Contains("open since 2026-12-01T00:00:00Z"));
}
