// The ad flavor and shared accounts in the planner: user objects named by sAMAccountName,
// userAccountControl for the bind state, groups of class group, usernames AD refuses, and shared
// accounts with their custodian in manager. The directory is in memory; Samba tests are in
// tests/integration/ad.
#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

World ad_world() {
  World w;
  w.options.mapping.flavor = Flavor::ad;
  w.options.mapping.upn_suffix = "tainan.gov.tw";
  return w;
}

SharedAccount shared(RowId id, std::string username, RowId unit_id, RowId custodian) {
  SharedAccount s;
  s.id = id;
  s.username = std::move(username);
  s.kind = "agency";
  s.display_name = "民政局公務信箱";
  s.org_unit_id = unit_id;
  s.custodian_id = custodian;
  return s;
}

}  // namespace

TEST_CASE("ad flavor: users are named by username and carry the AD attributes", "[planner][ad]") {
  auto w = ad_world();
  w.store.portal = tainan();
  w.sync();
  auto dn = "cn=chen.yating," + kHouseholdDn;
  REQUIRE(w.dir.get(dn));
  CHECK(w.dir.get(dn)->has_object_class("user"));
  CHECK(w.dir.value(dn, "sAMAccountName") == "chen.yating");
  CHECK(w.dir.value(dn, "userPrincipalName") == "chen.yating@tainan.gov.tw");
  CHECK(w.dir.value(dn, "displayName") == "陳雅婷");
  CHECK(w.dir.value(dn, "department") == "戶政科");
  CHECK(w.dir.value(dn, "company") == "臺南市政府");
  CHECK(w.dir.value(dn, "pwdAccountLockedTime").empty());
  CHECK(w.plan().operations.empty());
}

TEST_CASE("ad flavor: a new user is added disabled and then enabled", "[planner][ad]") {
  auto w = ad_world();
  w.store.portal = tainan();
  auto plan = w.plan();
  auto add = index_of(plan, OpType::add, "cn=chen.yating");
  auto enable = index_of(plan, OpType::enable, "cn=chen.yating");
  CHECK(add < enable);
  CHECK(std::find(plan.operations[enable].depends_on.begin(),
                  plan.operations[enable].depends_on.end(),
                  add) != plan.operations[enable].depends_on.end());
  w.sync();
  CHECK(w.dir.value("cn=chen.yating," + kHouseholdDn, "userAccountControl") == "512");
  CHECK(w.dir.value("cn=wang.pending," + kCivilDn, "userAccountControl") == "514");
}

TEST_CASE("ad flavor: disabling keeps the other userAccountControl bits", "[planner][ad]") {
  auto w = ad_world();
  w.store.portal = tainan();
  w.sync();
  auto dn = "cn=chen.yating," + kHouseholdDn;
  // An administrator set "password never expires" (0x10000) by hand.
  auto* entry = const_cast<DirectoryEntry*>(w.dir.get(dn));
  if (entry->find("useraccountcontrol")) entry->set_attribute("useraccountcontrol", {"66048"});
  w.store.portal.accounts[0].set_status("disabled");
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 1);
  CHECK(plan.operations[0].type == OpType::disable);
  w.sync();
  CHECK(w.dir.value(dn, "userAccountControl") == "66050");
  w.store.portal.accounts[0].set_status("enabled");
  w.sync();
  CHECK(w.dir.value(dn, "userAccountControl") == "66048");
}

TEST_CASE("ad flavor: usernames AD refuses are rejected before any write", "[planner][ad]") {
  auto w = ad_world();
  auto p = tainan();
  p.accounts.push_back(account(30, "a.very.long.username.x", "長名", 2));  // 22 characters
  p.accounts.push_back(account(31, "bad[name]", "括號", 2));
  p.accounts.push_back(account(32, "ends.with.", "點", 2));
  p.accounts.push_back(account(33, "exactly.twenty.chars", "剛好", 2));
  w.store.portal = p;
  auto plan = w.plan();
  auto reason_for = [&](RowId id) {
    for (const auto& r : plan.rejected)
      if (r.portal_id == id) return r.reason;
    return std::string("(not rejected)");
  };
  CHECK_THAT(reason_for(30), Catch::Contains("longer than the 20 characters"));
  CHECK_THAT(reason_for(31), Catch::Contains("character AD refuses"));
  CHECK_THAT(reason_for(32), Catch::Contains("ends with a dot"));
  CHECK(reason_for(33) == "(not rejected)");
  for (const auto& op : plan.operations) CHECK(op.portal_id != 30);
}

TEST_CASE("ad flavor: a pre-existing user is adopted by sAMAccountName", "[planner][ad]") {
  auto w = ad_world();
  w.store.portal = tainan();
  w.sync();
  w.dir.put("cn=Lin Wei (old)," + kEducationDn, {"top", "person", "organizationalPerson", "user"},
            {{"sAMAccountName", "LIN.WEI"}, {"userAccountControl", "512"}});
  w.dir.entries.erase(normalize_dn("cn=lin.wei," + kEducationDn));
  w.store.links.clear();
  auto plan = w.plan();
  CHECK(plan.adopted.size() >= 1);
  w.sync();
  CHECK(w.dir.get("cn=lin.wei," + kEducationDn));
  CHECK_FALSE(w.dir.get("cn=Lin Wei (old)," + kEducationDn));
}

TEST_CASE("ad flavor: entitlement groups are group objects and may be empty", "[planner][ad]") {
  auto w = ad_world();
  w.options.mapping.groups_dn = "ou=groups," + kBase;
  auto p = tainan();
  p.systems.push_back({1, "HR", "人事系統", "app-hr"});
  w.store.portal = p;
  w.sync();
  auto dn = "cn=app-hr,ou=groups," + kBase;
  REQUIRE(w.dir.get(dn));
  CHECK(w.dir.get(dn)->has_object_class("group"));
  CHECK(w.dir.value(dn, "sAMAccountName") == "app-hr");
  CHECK(!w.dir.get(dn)->find("member"));  // no placeholder member in AD
  CHECK(w.plan().operations.empty());
}

TEST_CASE("shared accounts sync with their custodian as manager", "[planner][shared]") {
  World w;
  auto p = tainan();
  p.shared_accounts.push_back(shared(1, "civil.box", 2, 10));
  w.store.portal = p;
  w.sync();
  auto dn = "uid=civil.box," + kCivilDn;
  REQUIRE(w.dir.get(dn));
  CHECK(w.dir.value(dn, "employeeType") == "shared-agency");
  CHECK(normalize_dn(w.dir.value(dn, "manager")) ==
        normalize_dn("uid=chen.yating," + kHouseholdDn));
  CHECK(w.plan().operations.empty());

  // A custodian handover changes manager; a move of the custodian follows too.
  w.store.portal.shared_accounts[0].custodian_id = 11;
  w.sync();
  CHECK(normalize_dn(w.dir.value(dn, "manager")) == normalize_dn("uid=lin.wei," + kEducationDn));
  w.store.portal.accounts[1].org_unit_id = 2;
  w.sync();
  CHECK(normalize_dn(w.dir.value(dn, "manager")) == normalize_dn("uid=lin.wei," + kCivilDn));
  CHECK(w.plan().operations.empty());

  // A disabled shared account is locked; one gone from the portal is deleted.
  w.store.portal.shared_accounts[0].status = "disabled";
  w.sync();
  CHECK(w.dir.value(dn, "pwdAccountLockedTime") == kPermanentLock);
  w.store.portal.shared_accounts.clear();
  w.sync();
  CHECK_FALSE(w.dir.get(dn));
}

TEST_CASE("ad flavor: shared accounts are users with sAMAccountName", "[planner][ad][shared]") {
  auto w = ad_world();
  auto p = tainan();
  p.shared_accounts.push_back(shared(1, "civil.box", 2, 10));
  w.store.portal = p;
  w.sync();
  auto dn = "cn=civil.box," + kCivilDn;
  REQUIRE(w.dir.get(dn));
  CHECK(w.dir.value(dn, "sAMAccountName") == "civil.box");
  CHECK(w.dir.value(dn, "employeeType") == "shared-agency");
  CHECK(w.dir.value(dn, "userAccountControl") == "512");
  CHECK(normalize_dn(w.dir.value(dn, "manager")) == normalize_dn("cn=chen.yating," + kHouseholdDn));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("ad flavor: a member leaving with a transfer is removed under its new DN",
          "[planner][ad]") {
  // AD rewrites member values when an entry moves, so the removal must name the moved DN and
  // wait for the move.
  auto w = ad_world();
  w.options.mapping.groups_dn = "ou=groups," + kBase;
  auto p = tainan();
  p.systems.push_back({1, "HR", "人事系統", "app-hr"});
  p.unit_systems.push_back({2, 1});  // 民政局 and below
  w.store.portal = p;
  w.sync();
  w.store.portal.accounts[0].org_unit_id = 3;  // chen.yating to 教育局: no grant
  auto plan = w.plan();
  auto move = index_of(plan, OpType::move, "cn=chen.yating");
  const Operation* removal = nullptr;
  for (const auto& op : plan.operations)
    if (op.kind == ObjectKind::group) removal = &op;
  REQUIRE(removal);
  REQUIRE(removal->mods.size() == 1);
  CHECK(removal->mods[0].kind == Modification::Kind::remove);
  CHECK(normalize_dn(removal->mods[0].values.at(0)) ==
        normalize_dn("cn=chen.yating," + kEducationDn));
  CHECK(std::find(removal->depends_on.begin(), removal->depends_on.end(), move) !=
        removal->depends_on.end());
}
