// directory.agency_groups: a group per agency with the agency's own enabled accounts, kept as the
// entitlement groups are. The tree: 臺南市政府 (A00, level 1) -> 民政局 (A01) with 戶政科, and
// 教育局 (A02), both level 2.
#include <catch2/catch.hpp>
#include <map>

#include "core/agency_groups.h"
#include "core/posix.h"
#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

const std::string kGroups = kGroupsDn;

void mark(OrgUnit& u, std::int64_t level) {
  u.is_agency = true;
  u.agency_level = level;
}

// tainan() with its three agencies marked and agency groups on: 陳雅婷 in 戶政科 (民政局's), 林威
// in 教育局, 王小明 pending in 民政局.
void agency_world(World& w) {
  w.store.portal = tainan();
  mark(w.store.portal.units[0], 1);
  mark(w.store.portal.units[1], 2);
  mark(w.store.portal.units[2], 2);
  w.options.mapping.groups_dn = kGroups;
  w.options.mapping.agency_groups = "agency-{code}";
}

std::vector<std::string> just(const std::string& dn) { return {dn}; }

const std::string kChenCivil = "uid=chen.yating," + kHouseholdDn;
const std::string kLin = "uid=lin.wei," + kEducationDn;

}  // namespace

TEST_CASE("an agency group holds its agency's enabled accounts, not those of agencies below",
          "[planner][groups][agency]") {
  World w;
  agency_world(w);
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(group_members(w, "agency-A01") == just(kChenCivil));  // 王小明 is pending
  CHECK(group_members(w, "agency-A02") == just(kLin));
  // 臺南市政府 has no account of its own: its group holds only its placeholder.
  CHECK(group_members(w, "agency-A00") == just("cn=agency-A00," + kGroups));
  CHECK(w.dir.value("cn=agency-A01," + kGroups, "description") == "民政局");
  CHECK(w.plan().operations.empty());

  // A transfer to 教育局 and a disable: the member moves, the disabled one leaves.
  w.store.portal.accounts[0].org_unit_id = 3;
  w.store.portal.accounts[1].set_status("disabled");
  w.sync();
  CHECK(group_members(w, "agency-A01") == just("cn=agency-A01," + kGroups));
  CHECK(group_members(w, "agency-A02") == just("uid=chen.yating," + kEducationDn));
  CHECK(w.plan().operations.empty());

  // 教育局 unmarked: its group is deleted, its people belong to 臺南市政府 now.
  w.store.portal.units[2].is_agency = false;
  w.store.portal.units[2].agency_level = 0;
  w.sync();
  CHECK_FALSE(w.dir.get("cn=agency-A02," + kGroups));
  CHECK(group_members(w, "agency-A00") == just("uid=chen.yating," + kEducationDn));
  CHECK(w.plan().operations.empty());

  // Turned off: every agency group goes, as a removed system's group does.
  w.options.mapping.agency_groups.clear();
  w.sync();
  CHECK_FALSE(w.dir.get("cn=agency-A00," + kGroups));
  CHECK_FALSE(w.dir.get("cn=agency-A01," + kGroups));
}

TEST_CASE("no agency group while the portal marks no unit", "[planner][groups][agency]") {
  World w;
  w.store.portal = tainan();
  w.options.mapping.groups_dn = kGroups;
  w.options.mapping.agency_groups = "agency-{code}";
  w.sync();
  CHECK(w.dir.get(kGroups));
  CHECK_FALSE(w.dir.get("cn=agency-A00," + kGroups));
  CHECK(agency_groups(w.store.portal, "agency-{code}").empty());
}

TEST_CASE("an agency group's gidNumber is kept apart from the systems' groups' numbers",
          "[planner][groups][agency][posix]") {
  World w;
  agency_world(w);
  w.options.mapping.posix.enabled = true;
  w.store.portal.systems = {{2, "hr", "人事服務網", "sys-hr"}};  // the same id as 民政局's unit
  w.sync();
  std::map<RowId, std::int64_t> gids;
  for (const auto& id : w.store.portal.posix_ids)
    if (id.kind == ObjectKind::group) gids[id.portal_id] = id.number;
  REQUIRE(gids.count(2));
  REQUIRE(gids.count(agency_group_id(2)));
  CHECK(gids[2] != gids[agency_group_id(2)]);
  CHECK(w.dir.value("cn=agency-A01," + kGroups, "gidNumber") ==
        std::to_string(gids[agency_group_id(2)]));
  CHECK(w.dir.value("cn=sys-hr," + kGroups, "gidNumber") == std::to_string(gids[2]));
  CHECK(w.plan().operations.empty());
}

TEST_CASE("an agency group is frozen while its unit row is rejected", "[planner][groups][agency]") {
  World w;
  agency_world(w);
  w.sync();
  REQUIRE(group_members(w, "agency-A02") == just(kLin));
  w.store.portal.units[2].agency_level = 1;  // not deeper than 臺南市政府's
  w.store.portal.accounts[1].set_status("disabled");
  w.sync();
  CHECK(w.dir.get("cn=agency-A02," + kGroups));
  CHECK(group_members(w, "agency-A02") == just(kLin));  // nobody taken out, nothing deleted
  bool frozen = false;
  for (const auto& f : w.plan().frozen) frozen |= f.dn == "cn=agency-A02," + kGroups;
  CHECK(frozen);
}

TEST_CASE("a system's group keeps its name, and the agency group that wants it is rejected",
          "[planner][groups][agency]") {
  World w;
  agency_world(w);
  w.store.portal.systems = {{7, "edu", "教育系統", "agency-A02"}};
  auto plan = w.plan();
  bool rejected = false;
  for (const auto& r : plan.rejected)
    rejected |= r.kind == ObjectKind::group && r.portal_id == agency_group_id(3);
  CHECK(rejected);
  w.sync();
  CHECK(w.dir.value("cn=agency-A02," + kGroups, "description") == "教育系統");
  CHECK(group_members(w, "agency-A01") == just(kChenCivil));
}

TEST_CASE("agency group names come from the template", "[agency]") {
  CHECK(agency_group_name("agency-{code}", "A01") == "agency-A01");
  CHECK(agency_group_name("{code}-staff-{code}", "X") == "X-staff-X");
  CHECK(agency_group_id(5) == -5);
}

TEST_CASE("ad flavor: an agency group is a security group, empty when the agency has nobody",
          "[planner][groups][agency][ad]") {
  World w;
  agency_world(w);
  w.options.mapping.flavor = Flavor::ad;
  w.options.mapping.upn_suffix = "tainan.gov.tw";
  w.sync();
  const auto group = "cn=agency-A01," + kGroups;
  REQUIRE(w.dir.get(group));
  CHECK(w.dir.get(group)->has_object_class("group"));
  CHECK(w.dir.value(group, "sAMAccountName") == "agency-A01");
  CHECK(group_members(w, "agency-A01") == just("cn=chen.yating," + kHouseholdDn));
  CHECK(group_members(w, "agency-A00").empty());
  // A transfer to 教育局: AD moves member values with their entry (the in-memory directory does
  // not), so the plan removes the new DN from 民政局's group and adds it to 教育局's.
  w.store.portal.accounts[0].org_unit_id = 3;
  auto plan = w.plan();
  std::map<std::string, std::string> changes;  // group DN -> "add|remove <member>"
  for (const auto& op : plan.operations)
    if (op.kind == ObjectKind::group)
      for (const auto& m : op.mods)
        changes[op.dn] =
            (m.kind == Modification::Kind::add ? "add " : "remove ") + normalize_dn(m.values.at(0));
  CHECK(changes["cn=agency-A01," + kGroups] ==
        "remove " + normalize_dn("cn=chen.yating," + kEducationDn));
  CHECK(changes["cn=agency-A02," + kGroups] ==
        "add " + normalize_dn("cn=chen.yating," + kEducationDn));
}
