// Agencies (機關) among the units, on a three-level tree: 臺南市政府 (level 1) -> 民政局 and
// 教育局 (level 2) -> 永康區公所 and 復興國小 (level 3), with units (科, 室) inside them. Each
// per-agency rule is checked there and on the same tree with no unit marked (rules per unit, as
// before agencies existed).
#include <catch2/catch.hpp>

#include "core/agency.h"
#include "core/batch_rules.h"
#include "core/custody_breach.h"
#include "core/handover.h"
#include "core/lifecycle.h"
#include "core/portal_validation.h"
#include "core/unit_scope.h"
#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

OrgUnit agency_unit(RowId id, std::optional<RowId> parent, std::string code, std::string name,
                    std::int64_t level) {
  auto u = unit(id, parent, std::move(code), std::move(name));
  u.is_agency = true;
  u.agency_level = level;
  return u;
}

Account person(RowId id, std::string username, RowId unit_id, std::string role = "user") {
  auto a = account(id, username, username, unit_id);
  a.set_role(std::move(role));
  a.set_last_login_at("2026-01-01T09:00:00+08:00");
  return a;
}

SharedAccount shared_box(RowId id, std::string username, RowId unit_id, RowId custodian) {
  SharedAccount s;
  s.id = id;
  s.username = std::move(username);
  s.kind = "mail";
  s.display_name = s.username;
  s.org_unit_id = unit_id;
  s.custodian_id = custodian;
  return s;
}

// Units: 1 臺南市政府 (agency 1); 2 民政局 (agency 2) with 3 戶政科 and 4 秘書室; 5 永康區公所
// (agency 3, under 民政局) with 6 民政課; 7 教育局 (agency 2) with 8 復興國小 (agency 3).
// Accounts: admin.sec (agency admin, 秘書室), clerk.hh and clerk.hh2 (戶政科), admin.yk (agency
// admin, 民政課 of 永康區公所), clerk.yk (民政課); household.mail in 戶政科, kept by clerk.hh.
PortalSnapshot three_levels() {
  PortalSnapshot p;
  p.units = {agency_unit(1, std::nullopt, "A00", "臺南市政府", 1),
             agency_unit(2, 1, "A01", "民政局", 2),
             unit(3, 2, "A01-1", "戶政科"),
             unit(4, 2, "A01-2", "秘書室"),
             agency_unit(5, 2, "A01-D1", "永康區公所", 3),
             unit(6, 5, "A01-D1-1", "民政課"),
             agency_unit(7, 1, "A02", "教育局", 2),
             agency_unit(8, 7, "A02-S1", "復興國小", 3)};
  p.accounts = {person(1, "admin.sec", 4, "agency_admin"), person(2, "clerk.hh", 3),
                person(3, "clerk.hh2", 3), person(4, "admin.yk", 6, "agency_admin"),
                person(5, "clerk.yk", 6)};
  p.shared_accounts = {shared_box(1, "household.mail", 3, 2)};
  return p;
}

// The same tree with no unit marked: every rule is per unit.
PortalSnapshot unmarked() {
  auto p = three_levels();
  for (auto& u : p.units) {
    u.is_agency = false;
    u.agency_level = 0;
  }
  return p;
}

Account& by_name(PortalSnapshot& p, std::string_view username) {
  for (auto& a : p.accounts)
    if (a.username() == username) return a;
  FAIL("no account " << username);
  return p.accounts.front();
}

ScheduledChange transfer(RowId account_id, RowId to) {
  ScheduledChange c;
  c.id = 1;
  c.account_id = account_id;
  c.kind = "transfer";
  c.target_org_unit_id = to;
  c.reason = "調動";
  c.effective_at = "2026-11-30T00:00:00+08:00";
  c.requested_by = "admin.sec";
  return c;
}

bool rejected(const ValidatedPortal& v, RowId unit_id) {
  for (const auto& r : v.rejected)
    if (r.kind == ObjectKind::org_unit && r.portal_id == unit_id) return true;
  return false;
}

}  // namespace

TEST_CASE("a unit's agency is its nearest marked ancestor-or-self, else its top", "[agency]") {
  auto p = three_levels();
  Agencies marked(p);
  CHECK(marked.marked());
  CHECK(marked.agency_of(3) == 2);  // 戶政科 -> 民政局
  CHECK(marked.agency_of(4) == 2);
  CHECK(marked.agency_of(5) == 5);  // 永康區公所 is its own agency, not 民政局's
  CHECK(marked.agency_of(6) == 5);
  CHECK(marked.agency_of(8) == 8);
  CHECK(marked.rule_unit_name(3) == "民政局");
  CHECK(marked.agency_of(99) == 0);

  // A unit with no marked ancestor-or-self belongs to its top-level unit.
  p.units.push_back(unit(9, std::nullopt, "B00", "外部單位"));
  p.units.push_back(unit(10, 9, "B01", "外部科"));
  CHECK(Agencies(p).agency_of(10) == 9);

  auto q = unmarked();
  Agencies none(q);
  CHECK_FALSE(none.marked());
  CHECK(none.rule_unit_of(3) == 3);  // rules stay per unit
  CHECK(none.agency_of(3) == 1);     // and the agency (AD company) is the top of the tree
}

TEST_CASE(
    "an agency level that is not deeper than its parent agency's rejects the unit and what "
    "is below it",
    "[agency]") {
  MappingOptions mapping;
  auto p = three_levels();
  CHECK(validate_portal(p, mapping).rejected.empty());

  p.units[4].agency_level = 2;  // 永康區公所 at 民政局's level
  auto v = validate_portal(p, mapping);
  REQUIRE(rejected(v, 5));
  CHECK(rejected(v, 6));  // 民政課 below it cannot be placed
  CHECK_FALSE(rejected(v, 3));
  CHECK(v.rejected[0].reason ==
        "unit 5 (A01-D1 永康區公所): agency_level 2 is not deeper than level 2 of its parent "
        "agency, unit 2 (A01 民政局)");
  bool account_rejected = false;
  for (const auto& r : v.rejected) account_rejected |= r.kind == ObjectKind::account;
  CHECK(account_rejected);  // admin.yk and clerk.yk stay frozen with their unit

  p = three_levels();
  p.units[0].agency_level = 0;  // an agency without a level
  v = validate_portal(p, mapping);
  REQUIRE(rejected(v, 1));
  CHECK_THAT(v.rejected[0].reason, Catch::Contains("agency_level 0 is not 1 or more"));
  CHECK(v.units_top_down.empty());

  p = three_levels();
  p.units[7].agency_level = 7;  // deeper by more than one level is deeper
  CHECK(validate_portal(p, mapping).rejected.empty());
}

TEST_CASE("an agency admin sitting anywhere in the agency protects the whole agency and no more",
          "[agency][handover]") {
  auto p = three_levels();
  // admin.sec (秘書室) is 民政局's only agency admin: a second one in 戶政科 frees him.
  CHECK(sole_admin_problem(p, by_name(p, "admin.sec")) ==
        "admin.sec is the only agency admin of 民政局: appoint another agency admin in 民政局 "
        "first");
  by_name(p, "clerk.hh2").set_role("agency_admin");
  CHECK(sole_admin_problem(p, by_name(p, "admin.sec")).empty());
  // 民政局's admins do not protect 永康區公所, an agency below it.
  CHECK_THAT(sole_admin_problem(p, by_name(p, "admin.yk")),
             Catch::Contains("only agency admin of 永康區公所"));

  // Unmarked: per unit, so an admin in 戶政科 does not free the one in 秘書室.
  auto q = unmarked();
  by_name(q, "clerk.hh2").set_role("agency_admin");
  CHECK_THAT(sole_admin_problem(q, by_name(q, "admin.sec")),
             Catch::Contains("only agency admin of 秘書室"));
}

TEST_CASE("a transfer inside the agency keeps custody and the agency admin, leaving it is blocked",
          "[agency][handover]") {
  auto p = three_levels();
  // The custodian moves from 戶政科 to 秘書室: still in 民政局.
  auto inside = decide_change(p, transfer(2, 4));
  CHECK(inside.state == ChangeState::done);
  // The sole agency admin moves to 戶政科: still 民政局's admin.
  CHECK(decide_change(p, transfer(1, 3)).state == ChangeState::done);
  // Out to 永康區公所: blocked, naming the agency.
  auto out = decide_change(p, transfer(2, 6));
  CHECK(out.state == ChangeState::blocked);
  CHECK_THAT(out.outcome, Catch::Contains("hand custody to a colleague in 民政局 first"));

  auto q = unmarked();
  CHECK(decide_change(q, transfer(2, 4)).state == ChangeState::blocked);
}

TEST_CASE("custody breaches count by agency", "[agency][custody]") {
  auto p = three_levels();
  std::set<RowId> before = units_with_enabled_admin(p);
  CHECK(before == std::set<RowId>{2, 5});  // agencies, not the units the admins sit in
  // The custodian and the admin move between units of 民政局: no breach.
  by_name(p, "clerk.hh").org_unit_id = 4;
  by_name(p, "admin.sec").org_unit_id = 3;
  CHECK(custody_breaches(p, before).empty());
  // The custodian leaves for 永康區公所, the admin for 教育局: both breach, named by agency.
  by_name(p, "clerk.hh").org_unit_id = 6;
  by_name(p, "admin.sec").org_unit_id = 7;
  auto breaches = custody_breaches(p, before);
  REQUIRE(breaches.size() == 2);
  CHECK(breaches[0].kind == BreachKind::orphaned_shared_account);
  CHECK_THAT(breaches[0].reason,
             Catch::Contains("is in 永康區公所, not in 民政局: hand custody to an enabled "
                             "account of 民政局"));
  CHECK(breaches[1].kind == BreachKind::unit_without_admin);
  CHECK(breaches[1].subject == "民政局");
  CHECK_THAT(breaches[1].reason, Catch::Contains("left the agency"));

  // Unmarked: moving the custodian to 秘書室 is a breach, as before.
  auto q = unmarked();
  by_name(q, "clerk.hh").org_unit_id = 4;
  CHECK(custody_breaches(q, units_with_enabled_admin(q)).size() == 1);
}

TEST_CASE("a batch is one agency once agencies are marked, one unit before", "[agency][batch]") {
  auto row = [](RowId account_id) {
    ScheduledChange c;
    c.account_id = account_id;
    c.kind = "disable";
    c.reason = "離職";
    return c;
  };
  auto p = three_levels();
  by_name(p, "clerk.hh2").org_unit_id = 4;  // 秘書室, same agency as clerk.hh in 戶政科
  CHECK(batch_problems(p, {row(2), row(3)}).empty());
  auto problems = batch_problems(p, {row(2), row(5)});  // clerk.yk: 永康區公所
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "row 2 (clerk.yk): agency 5, the batch's is 2");

  auto q = unmarked();
  by_name(q, "clerk.hh2").org_unit_id = 4;
  problems = batch_problems(q, {row(2), row(3)});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "row 2 (clerk.hh2): unit 4, the batch's is 3");
}

TEST_CASE("the idle report names each account's agency", "[agency][idle]") {
  auto p = three_levels();
  IdlePolicy policy;
  auto a = assess_idle(p, policy, parse_timestamp("2026-12-01T00:00:00Z").value());
  std::map<std::string, std::string> agency;
  for (const auto* list : {&a.due, &a.blocked})
    for (const auto& idle : *list) agency[idle.username] = idle.agency;
  CHECK(agency["clerk.hh"] == "民政局");
  CHECK(agency["admin.yk"] == "永康區公所");
  CHECK(agency["clerk.yk"] == "永康區公所");
}

TEST_CASE("company (ad) and o (openldap) carry the account's agency", "[agency][mapping]") {
  auto p = three_levels();
  const auto& household = p.units[2];
  const auto& civil = p.units[1];
  auto value_of = [](const std::vector<DesiredAttribute>& attrs, std::string_view name) {
    for (const auto& a : attrs)
      if (a.name == name) return a.values.empty() ? std::string("(none)") : a.values[0];
    return std::string("(absent)");
  };
  MappingOptions ad;
  ad.flavor = Flavor::ad;
  ad.upn_suffix = "tainan.gov.tw";
  MappingOptions openldap;
  auto a = p.accounts[1];
  CHECK(value_of(account_attributes(ad, a, {household, civil, true}), "company") == "民政局");
  CHECK(value_of(account_attributes(openldap, a, {household, civil, true}), "o") == "民政局");
  CHECK(value_of(account_attributes(openldap, a, {household, civil, true}), "departmentNumber") ==
        "A01-1");
  // No unit marked: o is not written at all, so an upgrade leaves the directory as it was.
  CHECK(value_of(account_attributes(openldap, a, {household, p.units[0], false}), "o") ==
        "(absent)");
}

TEST_CASE("a sync writes the agency to o, and nothing new while no unit is marked",
          "[agency][planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  auto dn = "uid=chen.yating," + kHouseholdDn;
  REQUIRE(w.dir.get(dn));
  CHECK(w.dir.value(dn, "o").empty());

  w.store.portal.units[0].is_agency = true;  // 臺南市政府
  w.store.portal.units[0].agency_level = 1;
  w.store.portal.units[1].is_agency = true;  // 民政局
  w.store.portal.units[1].agency_level = 2;
  w.sync();
  CHECK(w.dir.value(dn, "o") == "民政局");
  CHECK(w.dir.value("uid=lin.wei,ou=教育局," + kCityDn, "o") == "臺南市政府");
}

TEST_CASE("an agency scope reaches down to, not into, the agencies below unless asked",
          "[agency][scope]") {
  auto p = three_levels();
  auto bureau = UnitScope::of(ScopeCodes{{}, {"A01"}, false}, p);
  CHECK(bureau.units() == std::set<RowId>{2, 3, 4});
  CHECK(bureau.has_account(p, "clerk.hh"));
  CHECK(bureau.has_account(p, "admin.sec"));
  CHECK_FALSE(bureau.has_account(p, "clerk.yk"));  // 永康區公所 is an agency of its own
  CHECK_FALSE(bureau.has_account(p, "nobody"));
  auto with_below = UnitScope::of(ScopeCodes{{}, {"A01"}, true}, p);
  CHECK(with_below.units() == std::set<RowId>{2, 3, 4, 5, 6});
  CHECK(with_below.has_account(p, "clerk.yk"));
  // The city's own agency is its units outside every bureau; with its subagencies, everything.
  CHECK(UnitScope::of(ScopeCodes{{}, {"A00"}, false}, p).units() == std::set<RowId>{1});
  CHECK(UnitScope::of(ScopeCodes{{}, {"A00"}, true}, p).units().size() == 8);
  // A unit inside an agency is no agency: it adds nothing, as an unknown code does.
  CHECK(UnitScope::of(ScopeCodes{{}, {"A01-1"}, true}, p).units().empty());
  CHECK(UnitScope::of(ScopeCodes{{}, {"Z99"}, true}, p).units().empty());
  // units and agencies together reach both.
  CHECK(UnitScope::of(ScopeCodes{{"A02-S1"}, {"A01"}, false}, p).units() ==
        std::set<RowId>{2, 3, 4, 8});
}

TEST_CASE("with no unit marked, an agency scope is a top-level unit's whole tree",
          "[agency][scope]") {
  auto p = unmarked();
  CHECK(UnitScope::of(ScopeCodes{{}, {"A00"}, false}, p).units().size() == 8);
  CHECK(UnitScope::of(ScopeCodes{{}, {"A01"}, false}, p).units().empty());
}
