// Writing to Active Directory (a Samba DC) through the connector: adds report the new entry's
// objectGUID even though AD ignores the post-read control, also when many adds are in flight;
// moves and renames (modrdn with newSuperior) keep it, the SID and group memberships; a refused
// add says why.
#include <catch2/catch.hpp>

#include <set>

#include "ad_test_helpers.h"

using namespace ad_test;
using Catch::Contains;

TEST_CASE("adding an AD OU and a user returns their objectGUID anchors", "[ad][write]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("write-anchor");
  auto connector = connect(dc.connector_settings());

  auto unit = add_ad_ou(base, "教育局");
  auto user = add_user(unit.dn, "王小明", "write.wang");
  user.mods.push_back(value("displayName", {"王小明（科長）"}));
  user.mods.push_back(value("userPrincipalName", {"write.wang@portal.test"}));
  for (const auto* op : {&unit, &user}) {
    auto done = run_one(*connector, *op);
    REQUIRE(done.outcome.message == "");
    REQUIRE(done.outcome.ok);
    CHECK(done.outcome.anchor.size() == 36);  // xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
    CHECK(done.outcome.anchor == guid_seen_by_client(dc, op->dn));
  }

  auto seen = dc.admin_client().read(
      user.dn, {"displayName", "sAMAccountName", "userAccountControl", "objectClass"});
  REQUIRE_OK(seen);
  CHECK(seen->first("displayName") == "王小明（科長）");
  CHECK(seen->first("sAMAccountName") == "write.wang");
  CHECK(seen->first("userAccountControl") == "514");
}

TEST_CASE("many AD adds in flight each get their own objectGUID", "[ad][write]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("write-pipelined");
  auto connector = connect(dc.connector_settings());

  const int n = 40;
  std::vector<Operation> ops;
  for (int i = 0; i < n; ++i)
    ops.push_back(add_user(base, "使用者" + std::to_string(i), "pipelined" + std::to_string(i)));
  for (int i = 0; i < n; ++i) REQUIRE_OK(connector->submit(i, ops[i]));
  std::map<std::uint64_t, std::string> anchors;
  for (int i = 0; i < n; ++i) {
    auto done = connector->wait_completion();
    REQUIRE_OK(done);
    REQUIRE(done->outcome.message == "");
    anchors[done->ticket] = done->outcome.anchor;
  }
  CHECK(connector->outstanding() == 0);
  REQUIRE(anchors.size() == n);
  auto guids = guids_seen_by_client(dc, base);
  std::set<std::string> distinct;
  for (const auto& [ticket, anchor] : anchors) {
    CHECK(anchor == guids[ps::normalize_dn(ops[ticket].dn)]);
    distinct.insert(anchor);
  }
  CHECK(distinct.size() == n);
}

TEST_CASE("moving and renaming AD entries keeps their objectGUID, SID and groups", "[ad][write]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("write-move");
  auto connector = connect(dc.connector_settings());
  auto first = add_ad_ou(base, "第一科");
  auto second = add_ad_ou(base, "第二科");
  auto user = add_user(first.dn, "林威", "lin.wei");
  std::string unit_guid, user_guid;
  for (const auto* op : {&first, &second, &user}) {
    auto done = run_one(*connector, *op);
    REQUIRE(done.outcome.message == "");
    if (op == &first) unit_guid = done.outcome.anchor;
    if (op == &user) user_guid = done.outcome.anchor;
  }
  auto group = add(ps::join_dn("CN=公文系統", base),
                   {value("objectClass", {"group"}), value("sAMAccountName", {"move.group"}),
                    value("member", {user.dn})});
  REQUIRE(run_one(*connector, group).outcome.message == "");
  auto sid_before = dc.admin_client().read(user.dn, {"objectSid"});
  REQUIRE_OK(sid_before);

  // A transfer: the user moves to another unit and gets a new name on the way.
  std::string moved = ps::join_dn("CN=林威（調職）", second.dn);
  auto move = run_one(*connector, rename_entry(user.dn, "CN=林威（調職）", second.dn));
  REQUIRE(move.outcome.message == "");
  CHECK(guid_seen_by_client(dc, user.dn) == "");
  CHECK(guid_seen_by_client(dc, moved) == user_guid);
  auto sid_after = dc.admin_client().read(moved, {"objectSid"});
  REQUIRE_OK(sid_after);
  CHECK(sid_after->first("objectSid") == sid_before->first("objectSid"));
  auto members = dc.admin_client().read(group.dn, {"member"});
  REQUIRE_OK(members);
  REQUIRE(members->find("member"));
  REQUIRE(members->find("member")->size() == 1);
  CHECK(ps::normalize_dn(members->first("member")) == ps::normalize_dn(moved));

  // A unit renamed in place takes its entries with it.
  auto rename = run_one(*connector, rename_entry(first.dn, "OU=資訊科"));
  REQUIRE(rename.outcome.message == "");
  CHECK(guid_seen_by_client(dc, ps::join_dn("OU=資訊科", base)) == unit_guid);

  auto read = connector->read_subtree({base, {"cn", "ou"}});
  REQUIRE_OK(read);
  CHECK(read->entries.size() == 4);
  const auto* user_entry = find_dn(read->entries, moved);
  REQUIRE(user_entry);
  CHECK(user_entry->anchor() == user_guid);
}

TEST_CASE("an AD add the server refuses says why and gets no anchor", "[ad][write]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("write-refused");
  auto connector = connect(dc.connector_settings());
  REQUIRE(run_one(*connector, add_user(base, "陳一", "chen.yi")).outcome.ok);

  // sAMAccountName is unique in the whole domain.
  auto duplicate = add_user(base, "陳一（二）", "chen.yi");
  auto done = run_one(*connector, duplicate);
  CHECK_FALSE(done.outcome.ok);
  CHECK_THAT(done.outcome.message, Contains("add " + duplicate.dn + ": "));
  CHECK(done.outcome.anchor.empty());
  CHECK(connector->outstanding() == 0);
}
