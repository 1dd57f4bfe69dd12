// The planner against an in-memory directory: ordering, minimal diffs, moves as modrdn,
// adoption, rejection of bad rows, and convergence (a second run plans nothing).
#include <catch2/catch.hpp>

#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("a first sync creates parents before children, then converges", "[planner]") {
  World w;
  w.store.portal = tainan();
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 7);
  CHECK(index_of(plan, OpType::add, "ou=臺南市政府") < index_of(plan, OpType::add, "ou=民政局"));
  CHECK(index_of(plan, OpType::add, "ou=民政局") < index_of(plan, OpType::add, "ou=戶政科"));
  CHECK(index_of(plan, OpType::add, "ou=戶政科") < index_of(plan, OpType::add, "uid=chen.yating"));

  auto report = w.sync();
  CHECK(report.applied.applied == 7);
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "displayName") == "陳雅婷");
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "pwdAccountLockedTime").empty());
  CHECK(w.dir.value("uid=wang.pending," + kCivilDn, "pwdAccountLockedTime") == kPermanentLock);
  CHECK(w.dir.value(kHouseholdDn, "businessCategory") == "A01-1");
  CHECK(w.store.links.size() == 7);
  CHECK(w.store.log.size() == 7);
  CHECK(w.store.log[0].result == "applied");

  auto second = w.plan();
  CHECK(second.operations.empty());
  CHECK(second.summary.unchanged == 7);
}

TEST_CASE("a display name change modifies only the attributes that differ", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.accounts[0].set_display_name("陳雅琪");
  w.store.portal.accounts[0].set_given_name("雅琪");
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 1);
  const auto& op = plan.operations[0];
  CHECK(op.type == OpType::modify);
  std::vector<std::string> attrs;
  for (const auto& m : op.mods) attrs.push_back(m.attribute);
  CHECK(attrs == std::vector<std::string>{"cn", "givenName", "displayName"});
  CHECK(op.mods[0].old_values == std::vector<std::string>{"陳雅婷"});
  w.sync();
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "cn") == "陳雅琪");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a transfer between units is a move that keeps the entry", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  auto anchor = std::string(w.dir.get("uid=chen.yating," + kHouseholdDn)->anchor());
  w.store.portal.accounts[0].org_unit_id = 3;
  auto plan = w.plan();
  REQUIRE(plan.count(OpType::move) == 1);
  CHECK(plan.count(OpType::add) == 0);
  CHECK(plan.count(OpType::remove) == 0);
  w.sync();
  const auto* moved = w.dir.get("uid=chen.yating," + kEducationDn);
  REQUIRE(moved);
  CHECK(moved->anchor() == anchor);
  CHECK(w.dir.value("uid=chen.yating," + kEducationDn, "departmentNumber") == "A02");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a unit rename and a unit move are modrdn and carry their subtree", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.units[1].name = "民政處";  // rename 民政局
  w.store.portal.units[3].parent_id = 3;    // move 戶政科 under 教育局
  auto plan = w.plan();
  CHECK(plan.count(OpType::rename) == 1);
  CHECK(plan.count(OpType::move) == 1);
  CHECK(plan.count(OpType::add) == 0);
  CHECK(plan.count(OpType::remove) == 0);
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.get("uid=wang.pending,ou=民政處," + kCityDn));
  CHECK(w.dir.get("uid=chen.yating,ou=戶政科," + kEducationDn));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("renaming a unit and the account below it in one run addresses each by its DN then",
          "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.units[3].name = "戶籍科";
  w.store.portal.accounts[0].set_username("chen.yt");
  w.store.portal.accounts[0].set_title("科員");
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.value("uid=chen.yt,ou=戶籍科," + kCivilDn, "title") == "科員");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("two sibling units swapping names converge through a temporary name", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.units[1].name = "教育局";
  w.store.portal.units[2].name = "民政局";
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.value(kCivilDn, "businessCategory") == "A02");
  CHECK(w.dir.value(kEducationDn, "businessCategory") == "A01");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a retired empty subtree is deleted children first", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.accounts.erase(w.store.portal.accounts.begin());  // chen leaves 戶政科
  w.store.portal.units[1].active = false;                          // 民政局 retires...
  w.store.portal.units[3].active = false;                          // ...with 戶政科
  w.store.portal.accounts[1].org_unit_id = 3;                      // wang moves out first
  auto plan = w.plan();
  auto del_child = index_of(plan, OpType::remove, "ou=戶政科");
  auto del_parent = index_of(plan, OpType::remove, "ou=民政局");
  CHECK(del_child < del_parent);
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK_FALSE(w.dir.get(kCivilDn));
  CHECK(w.dir.get("uid=wang.pending," + kEducationDn));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a retired unit that still holds accounts stays, with a warning", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.store.portal.units[3].active = false;
  auto plan = w.plan();
  CHECK(plan.count(OpType::add) == 7);
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0].find("retired") != std::string::npos);
}

TEST_CASE("disable and enable toggle the permanent ppolicy lock only", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.portal.accounts[0].set_status("disabled");
  w.store.portal.accounts[2].set_status("enabled");
  auto plan = w.plan();
  CHECK(plan.count(OpType::disable) == 1);
  CHECK(plan.count(OpType::enable) == 1);
  w.sync();
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "pwdAccountLockedTime") == kPermanentLock);
  CHECK(w.dir.value("uid=wang.pending," + kCivilDn, "pwdAccountLockedTime").empty());
  CHECK(w.plan().operations.empty());

  // A lockout ppolicy set after failed binds is not cleared by an enabled portal row.
  auto& entry = w.dir.entries[normalize_dn("uid=wang.pending," + kCivilDn)];
  entry.add_attribute("pwdaccountlockedtime", {"20261125063000Z"});
  CHECK(w.plan().operations.empty());
}

TEST_CASE("entries already in the directory are adopted by username, not duplicated", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.dir.put(kCityDn, {"top", "organizationalUnit"}, {{"ou", "臺南市政府"}});
  w.dir.put("uid=CHEN.YATING," + kCityDn,
            {"top", "person", "organizationalPerson", "inetOrgPerson"},
            {{"uid", "CHEN.YATING"}, {"cn", "舊名"}, {"sn", "陳"}});
  auto plan = w.plan();
  CHECK(plan.adopted.size() == 2);
  CHECK(plan.count(OpType::remove) == 0);
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "cn") == "陳雅婷");
  CHECK_FALSE(w.dir.get("uid=CHEN.YATING," + kCityDn));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("bad rows are rejected with a reason and every other row syncs", "[planner][rejects]") {
  World w;
  auto p = tainan();
  p.units.push_back(unit(5, 6, "X1", "迴圈甲"));
  p.units.push_back(unit(6, 5, "X2", "迴圈乙"));
  p.units.push_back(unit(7, 99, "X3", "孤兒科"));
  p.units.push_back(unit(8, 1, "A03", "民政局"));  // same name as unit 2 under the same parent
  p.accounts.push_back(account(20, "", "無名", 2));
  p.accounts.push_back(account(21, "bad.utf8", "\xC3\x28", 2));
  p.accounts.push_back(account(22, "Lin.Wei", "林威二", 2));
  p.accounts.push_back(account(23, "shared.box", "共用", 2));
  p.accounts.push_back(account(24, "lost", "迷路", 7));
  p.accounts.push_back(account(25, "strange", "怪", 2, "frozen"));
  SharedAccount s;
  s.id = 1;
  s.username = "shared.box";
  s.display_name = "共用信箱";
  s.kind = "mail";
  s.org_unit_id = 2;
  p.shared_accounts.push_back(s);
  SharedAccount bad_shared = s;
  bad_shared.id = 2;
  bad_shared.username = "odd.box";
  bad_shared.kind = "team";
  p.shared_accounts.push_back(bad_shared);
  w.store.portal = p;
  auto plan = w.plan();
  auto reason_for = [&](ObjectKind kind, RowId id) {
    for (const auto& r : plan.rejected)
      if (r.kind == kind && r.portal_id == id) return r.reason;
    return std::string("(not rejected)");
  };
  CHECK_THAT(reason_for(ObjectKind::org_unit, 5), Catch::Contains("cycle"));
  CHECK_THAT(reason_for(ObjectKind::org_unit, 6), Catch::Contains("unit 6 (X2"));
  CHECK_THAT(reason_for(ObjectKind::org_unit, 7), Catch::Contains("parent unit 99 does not exist"));
  CHECK_THAT(reason_for(ObjectKind::org_unit, 8), Catch::Contains("already has this name"));
  CHECK_THAT(reason_for(ObjectKind::account, 20), Catch::Contains("username is empty"));
  CHECK_THAT(reason_for(ObjectKind::account, 21),
             Catch::Contains("display_name is not valid UTF-8"));
  CHECK_THAT(reason_for(ObjectKind::account, 22), Catch::Contains("letter case"));
  CHECK_THAT(reason_for(ObjectKind::account, 23), Catch::Contains("shared account"));
  CHECK_THAT(reason_for(ObjectKind::account, 24), Catch::Contains("was rejected"));
  CHECK_THAT(reason_for(ObjectKind::account, 25), Catch::Contains("status \"frozen\""));
  CHECK_THAT(reason_for(ObjectKind::shared_account, 2), Catch::Contains("kind \"team\""));
  CHECK(plan.rejected.size() == 11);
  auto report = w.sync();
  CHECK(report.applied.applied == 8);  // 7 as before and the valid shared account
  CHECK(w.dir.get("uid=lin.wei," + kEducationDn));
}

TEST_CASE("hostile characters in names survive the round trip", "[planner]") {
  World w;
  w.store.portal.units = {unit(1, std::nullopt, "H1", " #局,+\"\\<>;=處 ")};
  w.store.portal.accounts = {account(1, "a+b,c", "王=\"小明\"", 1)};
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  auto read = w.dir.read_subtree({kBase, {}});
  REQUIRE(read->entries.size() == 2);
  CHECK(w.dir.value(
            join_dn(make_rdn("uid", "a+b,c"), join_dn(make_rdn("ou", " #局,+\"\\<>;=處 "), kBase)),
            "displayName") == "王=\"小明\"");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("accounts whose portal row is gone are deleted, foreign entries are left alone",
          "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.dir.put("cn=printer," + kCityDn, {"top", "device"}, {{"cn", "printer"}});
  w.store.portal.accounts.pop_back();
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 1);
  CHECK(plan.operations[0].type == OpType::remove);
  CHECK(plan.operations[0].dn == "uid=wang.pending," + kCivilDn);
  CHECK(plan.stale_links.size() == 1);
}

TEST_CASE("a missing managed base is created first", "[planner]") {
  World w;
  w.dir.entries.clear();
  w.dir.put("dc=example,dc=org", {"top", "domain"}, {});
  w.store.portal = tainan();
  auto plan = w.plan();
  REQUIRE_FALSE(plan.operations.empty());
  CHECK(plan.operations[0].dn == kBase);
  CHECK(plan.operations[1].depends_on == std::vector<std::size_t>{0});
  CHECK(w.sync().applied.failed == 0);
}

TEST_CASE("a base DN spelled differently from the server's still finds every parent", "[planner]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.options.mapping.base_dn = "OU=Portal,DC=Example,DC=org";
  auto plan = w.plan();
  CHECK(plan.operations.empty());
  CHECK(plan.warnings.empty());
  CHECK(plan.summary.unchanged == 7);
}

namespace {

const std::string kGroups = kGroupsDn;

void with_systems(World& w) {
  w.options.mapping.groups_dn = kGroups;
  w.store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}, {2, "hr", "人事服務網", "sys-hr"}};
  w.store.portal.unit_systems = {{2, 1}};      // 民政局 and every unit below it
  w.store.portal.account_systems = {{11, 2}};  // lin.wei directly
}

// with_systems and sys-empty, a system granted to nobody, synced.
void synced_with_empty_group(World& w) {
  w.store.portal = tainan();
  with_systems(w);
  w.store.portal.systems.push_back({3, "none", "無人系統", "sys-empty"});
  w.sync();
}

}  // namespace

TEST_CASE("entitlement groups: inherited unit grants and direct grants, enabled accounts only",
          "[planner][groups]") {
  World w;
  w.store.portal = tainan();
  with_systems(w);
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  // 陳雅婷 sits in 戶政科 below 民政局; 王小明 in 民政局 is pending, so not a member.
  CHECK(group_members(w, "sys-edoc") ==
        std::vector<std::string>{"uid=chen.yating," + kHouseholdDn});
  CHECK(group_members(w, "sys-hr") == std::vector<std::string>{"uid=lin.wei," + kEducationDn});
  CHECK(w.dir.value("cn=sys-edoc," + kGroups, "description") == "公文系統");
  CHECK(w.plan().operations.empty());

  w.store.portal.accounts[2].set_status("enabled");  // 王小明 joins
  w.store.portal.accounts[0].org_unit_id = 3;        // 陳雅婷 leaves 民政局's tree
  auto plan = w.plan();
  std::size_t member_changes = 0;
  for (const auto& op : plan.operations)
    if (op.kind == ObjectKind::group) {
      ++member_changes;
      for (const auto& m : op.mods) CHECK(m.attribute == "member");  // never a rewrite of the list
    }
  CHECK(member_changes == 1);
  w.sync();
  CHECK(group_members(w, "sys-edoc") == std::vector<std::string>{"uid=wang.pending," + kCivilDn});
  CHECK(w.plan().operations.empty());
}

TEST_CASE("an empty group holds its own DN as placeholder, a removed system's group is deleted",
          "[planner][groups]") {
  World w;
  synced_with_empty_group(w);
  // Its own DN: SSSD fails the whole group lookup on a member that is neither user nor group.
  CHECK(group_members(w, "sys-empty") == std::vector<std::string>{"cn=sys-empty," + kGroups});
  w.store.portal.systems.pop_back();
  w.store.portal.accounts[1].set_status("disabled");  // lin.wei leaves sys-hr: placeholder again
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK_FALSE(w.dir.get("cn=sys-empty," + kGroups));
  CHECK(group_members(w, "sys-hr") == std::vector<std::string>{"cn=sys-hr," + kGroups});
  CHECK(w.plan().operations.empty());

  // A renamed group's placeholder follows its name.
  w.store.portal.systems[1].group_name = "sys-people";
  w.sync();
  CHECK(group_members(w, "sys-people") == std::vector<std::string>{"cn=sys-people," + kGroups});
  CHECK(w.plan().operations.empty());
}

TEST_CASE("groups an older portalsync left with the groups' OU as placeholder get their own DN",
          "[planner][groups]") {
  World w;
  synced_with_empty_group(w);
  auto group = w.dir.entries.find(normalize_dn("cn=sys-empty," + kGroups));
  REQUIRE(group != w.dir.entries.end());
  group->second.set_attribute("member", {kGroups});  // as versions before this one wrote it
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 1);
  const auto& op = plan.operations[0];
  // One modify: the new placeholder is added before the old one goes, never an empty group.
  REQUIRE(op.mods.size() == 2);
  CHECK(op.mods[0].kind == Modification::Kind::add);
  CHECK(op.mods[0].values == std::vector<std::string>{"cn=sys-empty," + kGroups});
  CHECK(op.mods[1].kind == Modification::Kind::remove);
  CHECK(op.mods[1].values == std::vector<std::string>{kGroups});
  w.sync();
  CHECK(group_members(w, "sys-empty") == std::vector<std::string>{"cn=sys-empty," + kGroups});
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a group of more than a thousand members is written in chunks and converges",
          "[planner][groups]") {
  World w;
  w.store.portal.units = {unit(1, std::nullopt, "A00", "臺南市政府")};
  for (int i = 1; i <= 2500; ++i)
    w.store.portal.accounts.push_back(account(i, "u" + std::to_string(i), "使用者", 1));
  w.options.mapping.groups_dn = kGroups;
  w.store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}};
  w.store.portal.unit_systems = {{1, 1}};
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(group_members(w, "sys-edoc").size() == 2500);
  w.options.guard.max_disable_percent = 100;  // this test is about groups, not the guard
  w.options.guard.max_disables = 100000;
  for (int i = 1; i <= 1200; ++i) w.store.portal.accounts[i].set_status("disabled");
  report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(group_members(w, "sys-edoc").size() == 1300);
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a locked entry names the lock policy, enabling removes it, an older lock gains it",
          "[planner][lock]") {
  World w;
  const std::string policy = "cn=portalsync-lock," + kBase;
  w.options.mapping.lock_policy_dn = policy;
  w.store.portal = tainan();
  w.sync();
  const std::string chen = "uid=chen.yating," + kHouseholdDn;
  const std::string pending = "uid=wang.pending," + kCivilDn;
  CHECK(w.dir.value(pending, "pwdPolicySubentry") == policy);
  CHECK(w.dir.value(chen, "pwdPolicySubentry").empty());
  CHECK(w.plan().operations.empty());

  w.store.portal.accounts[0].set_status("disabled");
  w.store.portal.accounts[2].set_status("enabled");
  auto plan = w.plan();
  CHECK(plan.count(OpType::disable) == 1);
  CHECK(plan.count(OpType::enable) == 1);
  w.sync();
  CHECK(w.dir.value(chen, "pwdAccountLockedTime") == kPermanentLock);
  CHECK(w.dir.value(chen, "pwdPolicySubentry") == policy);
  CHECK(w.dir.value(pending, "pwdPolicySubentry").empty());
  CHECK(w.plan().operations.empty());

  // Locked by a portalsync without the lock policy: a modify (the guard does not count it).
  w.dir.entries[normalize_dn(chen)].remove_attribute("pwdpolicysubentry");
  auto upgrade = w.plan();
  REQUIRE(upgrade.operations.size() == 1);
  CHECK(upgrade.operations[0].type == OpType::modify);
  CHECK(upgrade.operations[0].mods.at(0).attribute == "pwdPolicySubentry");
  w.sync();
  CHECK(w.dir.value(chen, "pwdPolicySubentry") == policy);

  // A policy an administrator set is kept, locked or not, and the plan says what it means.
  const std::string strict = "cn=strict,dc=example,dc=org";
  w.dir.entries[normalize_dn(chen)].set_attribute("pwdPolicySubentry", {strict});
  auto kept = w.plan();
  CHECK(kept.operations.empty());
  REQUIRE(kept.warnings.size() == 1);
  CHECK_THAT(kept.warnings[0], Catch::Contains("keeps the password policy " + strict));
  w.store.portal.accounts[0].set_status("enabled");
  auto enable = w.plan();
  REQUIRE(enable.operations.size() == 1);
  REQUIRE(enable.operations[0].mods.size() == 1);
  CHECK(enable.operations[0].mods[0].attribute == "pwdAccountLockedTime");
  w.sync();
  CHECK(w.dir.value(chen, "pwdPolicySubentry") == strict);
  CHECK(w.plan().operations.empty());
}
