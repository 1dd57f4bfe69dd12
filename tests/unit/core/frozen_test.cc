// Frozen entries: a rejected row never deletes its entry, and a held run moves nothing that was
// planned from the held state (group memberships included). Against the in-memory directory;
// tests/integration/cli/frozen_test.cc tells the same stories against a real slapd.
#include <catch2/catch.hpp>

#include <algorithm>

#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

const std::string kGroups = kGroupsDn;

// Every entry's DN and attributes, to compare the directory before and after.
std::vector<std::string> dump(World& w) {
  std::vector<std::string> out;
  auto read = w.dir.read_subtree({kBase, {}});
  for (const auto& e : read->entries) {
    std::string line(e.dn());
    for (std::size_t i = 0; i < e.attributes().size(); ++i) {
      auto values = e.attributes().values(i).strings();
      std::sort(values.begin(), values.end());
      line += " " + std::string(e.attributes().name(i)) + "=";
      for (const auto& v : values) line += v + "|";
    }
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t deletes(const Plan& p) { return p.count(OpType::remove); }

}  // namespace

TEST_CASE("an account row made invalid after it synced freezes its entry", "[planner][frozen]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  auto before = dump(w);
  w.store.portal.accounts[0].set_display_name("");  // a portal developer's mistake
  auto plan = w.plan();
  CHECK(deletes(plan) == 0);
  REQUIRE(plan.rejected.size() == 1);
  REQUIRE(plan.frozen.size() == 1);
  CHECK(plan.frozen[0].dn == "uid=chen.yating," + kHouseholdDn);
  CHECK_THAT(plan.frozen[0].reason, Catch::Contains("display_name"));
  w.sync();
  CHECK(dump(w) == before);

  w.store.portal.accounts[0].set_display_name("陳雅婷");  // fixed: syncs as usual again
  CHECK(w.plan().operations.empty());
  CHECK(w.plan().frozen.empty());
}

TEST_CASE("a rejected account keeps its entry even when it was never linked", "[planner][frozen]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  w.store.links.clear();  // as if the links were lost: the entry is found by name
  w.store.portal.accounts[1].set_status("gone");
  auto plan = w.plan();
  CHECK(deletes(plan) == 0);
  REQUIRE(plan.frozen.size() == 1);
  CHECK(plan.frozen[0].dn == "uid=lin.wei," + kEducationDn);
}

TEST_CASE("a unit renamed to its sibling's name freezes a subtree and deletes nothing",
          "[planner][frozen]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  auto before = dump(w);
  w.store.portal.units[2].name = "民政局";  // 教育局 takes 民政局's name: the higher id is rejected
  auto plan = w.plan();
  CHECK(deletes(plan) == 0);
  CHECK(plan.count(OpType::rename) == 0);
  REQUIRE_FALSE(plan.frozen.empty());
  CHECK(plan.frozen[0].dn == kEducationDn);
  CHECK(plan.frozen[0].below == 1);  // lin.wei, frozen with it
  w.sync();
  CHECK(dump(w) == before);
}

TEST_CASE("a rejected parent unit freezes its whole subtree", "[planner][frozen]") {
  World w;
  w.store.portal = tainan();
  w.sync();
  auto before = dump(w);
  w.store.portal.units[1].parent_id = 99;  // 民政局 points at a unit that does not exist
  auto plan = w.plan();
  CHECK(deletes(plan) == 0);
  CHECK(plan.count(OpType::move) == 0);
  w.sync();
  CHECK(dump(w) == before);
}

TEST_CASE("a rejected custodian stays its shared account's manager", "[planner][frozen]") {
  World w;
  w.store.portal = tainan();
  SharedAccount s;
  s.id = 50;
  s.username = "household.mail";
  s.display_name = "戶政科信箱";
  s.kind = "mail";
  s.status = "enabled";
  s.org_unit_id = 4;
  s.custodian_id = 10;
  w.store.portal.shared_accounts = {s};
  w.sync();
  auto manager = w.dir.value("uid=household.mail," + kHouseholdDn, "manager");
  CHECK(manager == "uid=chen.yating," + kHouseholdDn);
  w.store.portal.accounts[0].set_status("???");
  auto plan = w.plan();
  CHECK(deletes(plan) == 0);
  for (const auto& op : plan.operations) CHECK(op.kind != ObjectKind::shared_account);
}

TEST_CASE("a held mass disable leaves every group's members as they were", "[engine][frozen]") {
  World w;
  w.store.portal.units = {unit(1, std::nullopt, "A00", "臺南市政府")};
  for (int i = 1; i <= 100; ++i)
    w.store.portal.accounts.push_back(account(i, "u" + std::to_string(i), "使用者", 1));
  w.options.mapping.groups_dn = kGroups;
  w.store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}};
  w.store.portal.unit_systems = {{1, 1}};
  w.sync();
  REQUIRE(group_members(w, "sys-edoc").size() == 100);

  for (int i = 0; i < 60; ++i) w.store.portal.accounts[i].set_status("disabled");
  w.store.portal.accounts[70].set_display_name("改名者");  // an ordinary change still goes out
  auto held = w.sync();
  REQUIRE(held.held());
  CHECK(held.applied.held == 60);
  CHECK(held.applied.applied == 1);
  CHECK(group_members(w, "sys-edoc").size() == 100);
  CHECK(w.dir.value("uid=u71,ou=臺南市政府," + kBase, "displayName") == "改名者");
  for (const auto& op : held.plan.operations)
    if (op.kind == ObjectKind::group) CHECK(op.held);  // no member change may go out

  w.store.holds[0].state = HoldState::approved;
  w.store.holds[0].approved_by = "cli:root";
  auto released = w.sync();
  CHECK_FALSE(released.held());
  CHECK(group_members(w, "sys-edoc").size() == 40);
  CHECK(w.plan().operations.empty());
}

TEST_CASE("emptying the accounts table leaves every group exactly as it was", "[engine][frozen]") {
  World w;
  w.store.portal = tainan();
  w.options.mapping.groups_dn = kGroups;
  w.store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}, {2, "hr", "人事服務網", "sys-hr"}};
  w.store.portal.unit_systems = {{2, 1}};
  w.store.portal.account_systems = {{11, 2}};
  w.sync();
  auto before = dump(w);
  w.store.portal.accounts.clear();
  auto held = w.sync();
  CHECK(held.held());
  CHECK_THAT(held.guard.reason, Catch::Contains("the portal has no accounts"));
  CHECK(dump(w) == before);
}

TEST_CASE("emptying the org_units table leaves the directory exactly as it was",
          "[engine][frozen]") {
  World w;
  w.store.portal = tainan();
  w.store.portal.units.push_back(unit(5, 1, "A03", "空的局"));  // an empty leaf OU
  w.sync();
  auto before = dump(w);
  w.store.portal.units.clear();
  auto held = w.sync();
  CHECK(held.held());
  CHECK_THAT(held.guard.reason, Catch::Contains("the portal has no org units"));
  CHECK(dump(w) == before);
}

TEST_CASE("the guard counts unit and group deletes and says which kinds it holds",
          "[engine][frozen]") {
  World w;
  w.store.portal.units = {unit(1, std::nullopt, "A00", "臺南市政府")};
  for (int i = 2; i <= 40; ++i)
    w.store.portal.units.push_back(unit(i, 1, "B" + std::to_string(i), "科" + std::to_string(i)));
  w.store.portal.accounts = {account(100, "chen.yating", "陳雅婷", 1)};
  w.sync();
  auto before = dump(w);
  w.store.portal.units.resize(1);  // 39 empty units retired at once
  auto held = w.sync();
  REQUIRE(held.held());
  CHECK_THAT(held.guard.reason, Catch::Contains("delete 39 units"));
  CHECK(dump(w) == before);
}
