// POSIX identities (directory.posix): numbers assigned once per row and kept for good, the
// attributes on users and groups in both flavors, and the cases where a number is in question
// (range used up, taken by another entry, changed by hand), which stop the row, never renumber it.
#include "core/posix.h"

#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

const std::string kGroups = "ou=groups," + kBase;
const std::string kChen = "uid=chen.yating," + kHouseholdDn;

World posix_world() {
  World w;
  w.store.portal = tainan();
  w.options.mapping.groups_dn = kGroups;
  w.options.mapping.posix.enabled = true;
  w.options.mapping.posix.uid_min = 100000;
  w.options.mapping.posix.uid_max = 100009;
  w.options.mapping.posix.gid_min = 200000;
  w.options.mapping.posix.gid_max = 200009;
  w.store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}};
  w.store.portal.unit_systems = {{2, 1}};
  return w;
}

bool rejected(const Plan& plan, RowId id, const std::string& words) {
  for (const auto& r : plan.rejected)
    if (r.portal_id == id && r.reason.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("posix numbers: the next above every number ever assigned, in row-id order", "[posix]") {
  PosixOptions o;
  o.enabled = true;
  o.uid_min = 5000;
  o.uid_max = 5002;
  auto portal = tainan();
  portal.posix_ids = {{ObjectKind::account, 99, 5000}};  // a deleted account keeps its number
  auto got = assign_posix_ids(portal, o);
  REQUIRE(got.assigned.size() == 2);
  CHECK(got.assigned[0].portal_id == 10);
  CHECK(got.assigned[0].number == 5001);
  CHECK(got.assigned[1].number == 5002);
  // The range is used up: the third account has none, and says why.
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains("account 12 (wang.pending)") &&
                                  Catch::Contains("5000-5002 is used up"));
  // Rows that have one keep it; nothing is assigned twice.
  portal.posix_ids.insert(portal.posix_ids.end(), got.assigned.begin(), got.assigned.end());
  o.uid_max = 5010;
  auto again = assign_posix_ids(portal, o);
  REQUIRE(again.assigned.size() == 1);
  CHECK(again.assigned[0].portal_id == 12);
  CHECK(again.assigned[0].number == 5003);
  o.enabled = false;
  CHECK(assign_posix_ids(portal, o).assigned.empty());
  CHECK(posix_home_directory(PosixOptions{}, "chen.yating") == "/home/chen.yating");
}

TEST_CASE("posix: users get posixAccount and their numbers, groups extensibleObject and gidNumber",
          "[posix][planner]") {
  auto w = posix_world();
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  REQUIRE(w.dir.get(kChen));
  CHECK(w.dir.get(kChen)->has_object_class("posixAccount"));
  CHECK(w.dir.value(kChen, "uidNumber") == "100000");
  CHECK(w.dir.value(kChen, "gidNumber") == "100");
  CHECK(w.dir.value(kChen, "homeDirectory") == "/home/chen.yating");
  CHECK(w.dir.value(kChen, "loginShell") == "/bin/bash");
  auto group = "cn=sys-edoc," + kGroups;
  CHECK(w.dir.get(group)->has_object_class("extensibleObject"));
  CHECK(w.dir.value(group, "gidNumber") == "200000");
  CHECK(w.store.portal.posix_ids.size() == 4);  // three accounts, one group, recorded
  CHECK(w.plan().operations.empty());
}

TEST_CASE("posix: a number never changes on transfer, rename or disable, and is never reused",
          "[posix][planner]") {
  auto w = posix_world();
  w.sync();
  w.store.portal.accounts[0].org_unit_id = 3;  // transfer
  w.store.portal.accounts[0].set_username("chen.yt");
  w.store.portal.accounts[0].set_status("disabled");
  CHECK(w.sync().applied.failed == 0);
  auto moved = "uid=chen.yt," + kEducationDn;
  REQUIRE(w.dir.get(moved));
  CHECK(w.dir.value(moved, "uidNumber") == "100000");
  CHECK(w.dir.value(moved, "homeDirectory") == "/home/chen.yt");
  // lin.wei (100001) leaves; a newcomer gets the next number, not the freed one.
  std::erase_if(w.store.portal.accounts, [](const Account& a) { return a.id == 11; });
  w.store.portal.accounts.push_back(account(13, "lin.wen", "林文", 3));
  CHECK(w.sync().applied.failed == 0);
  CHECK_FALSE(w.dir.get("uid=lin.wei," + kEducationDn));
  CHECK(w.dir.value("uid=lin.wen," + kEducationDn, "uidNumber") == "100003");
}

TEST_CASE("posix: entries from before directory.posix gain the class and the numbers in one modify",
          "[posix][planner]") {
  auto w = posix_world();
  w.options.mapping.posix.enabled = false;
  w.sync();
  CHECK_FALSE(w.dir.get(kChen)->has_object_class("posixAccount"));
  w.options.mapping.posix.enabled = true;
  auto plan = w.plan();
  auto i = index_of(plan, OpType::modify, kChen);
  REQUIRE(!plan.operations[i].mods.empty());
  CHECK(plan.operations[i].mods[0].kind == Modification::Kind::add);
  CHECK(plan.operations[i].mods[0].attribute == "objectClass");
  CHECK(plan.operations[i].mods[0].values == std::vector<std::string>{"posixAccount"});
  CHECK(w.sync().applied.failed == 0);
  CHECK(w.dir.get(kChen)->has_object_class("posixAccount"));
  CHECK(w.dir.get("cn=sys-edoc," + kGroups)->has_object_class("extensibleObject"));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("posix: a number changed by hand, taken by another entry or not to be had stops the row",
          "[posix][planner]") {
  auto w = posix_world();
  w.sync();
  // Changed by hand: the row is rejected and its entry left alone, not renumbered.
  w.dir.entries.at(normalize_dn(kChen)).set_attribute("uidNumber", {"100007"});
  auto plan = w.plan();
  CHECK(rejected(plan, 10, "carries uidNumber 100007 but portalsync assigned 100000"));
  for (const auto& op : plan.operations) CHECK(op.dn != kChen);
  w.dir.entries.at(normalize_dn(kChen)).set_attribute("uidNumber", {"100000"});
  CHECK(w.plan().operations.empty());

  // Taken by an entry another tool put in the subtree.
  w.dir.put("uid=intruder," + kCityDn, {"top", "account", "posixAccount"},
            {{"uid", "intruder"}, {"uidNumber", "100003"}});
  w.store.portal.accounts.push_back(account(13, "huang.min", "黃敏", 3));
  plan = w.plan();
  CHECK(rejected(plan, 13, "uidNumber 100003 assigned to it is already held by uid=intruder"));
  for (const auto& op : plan.operations) CHECK(op.subject != "huang.min");

  // The range used up: the row is rejected, no number is made up.
  w.store.portal.accounts.push_back(account(14, "wu.jie", "吳傑", 3));
  w.options.mapping.posix.uid_max = 100003;
  plan = w.plan();
  CHECK(rejected(plan, 14, "no uidNumber could be assigned: the range 100000-100003 is used up"));
}

TEST_CASE("posix, ad flavor: RFC 2307 attributes on user and group, no extra object class",
          "[posix][planner][ad]") {
  auto w = posix_world();
  w.options.mapping.flavor = Flavor::ad;
  w.options.mapping.upn_suffix = "tainan.gov.tw";
  w.options.mapping.posix.login_shell = "/bin/zsh";
  CHECK(w.sync().applied.failed == 0);
  auto dn = "cn=chen.yating," + kHouseholdDn;
  REQUIRE(w.dir.get(dn));
  CHECK_FALSE(w.dir.get(dn)->has_object_class("posixAccount"));
  CHECK(w.dir.value(dn, "uidNumber") == "100000");
  CHECK(w.dir.value(dn, "unixHomeDirectory") == "/home/chen.yating");
  CHECK(w.dir.value(dn, "loginShell") == "/bin/zsh");
  CHECK(w.dir.value("cn=sys-edoc," + kGroups, "gidNumber") == "200000");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("posix: the primary group entry is kept by name with primary_gid and no members",
          "[posix][planner]") {
  auto w = posix_world();
  w.options.mapping.posix.primary_gid = 99999;
  w.options.mapping.posix.primary_group = "portal-users";
  CHECK(w.sync().applied.failed == 0);
  const auto group = "cn=portal-users," + kGroups;
  REQUIRE(w.dir.get(group));
  CHECK(w.dir.get(group)->has_object_class("groupOfNames"));
  CHECK(w.dir.get(group)->has_object_class("extensibleObject"));
  CHECK(w.dir.value(group, "gidNumber") == "99999");
  CHECK(w.dir.value(group, "member") == group);  // only its own DN: users join by gidNumber
  CHECK(w.dir.value(kChen, "gidNumber") == "99999");
  CHECK(w.plan().operations.empty());
  CHECK(w.store.portal.posix_ids.size() == 4);  // no number of the gid range for it

  // Changed by hand: put back; its members are left as they are.
  auto& entry = w.dir.entries[normalize_dn(group)];
  entry.set_attribute("gidNumber", {"5"});
  entry.set_attribute("member", {group, kChen});
  auto plan = w.plan();
  REQUIRE(plan.operations.size() == 1);
  CHECK_THAT(plan.operations[0].reason, Catch::Contains("gidNumber"));
  CHECK(w.sync().applied.failed == 0);
  CHECK(w.dir.value(group, "gidNumber") == "99999");
  CHECK(w.dir.get(group)->find("member")->size() == 2);

  // A system with the same group name keeps its group; the primary group is rejected.
  w.store.portal.systems.push_back({2, "users", "使用者", "Portal-Users"});
  plan = w.plan();
  CHECK(rejected(plan, 0, "also a portal system's group_name"));
  for (const auto& op : plan.operations) CHECK_FALSE((op.type == OpType::remove && op.dn == group));
}
