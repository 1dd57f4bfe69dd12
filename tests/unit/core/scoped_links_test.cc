// core/scoped_links.h: which links a scoped run takes, and which read entries still need theirs.
#include <catch2/catch.hpp>

#include "core/entry_attributes.h"
#include "core/scoped_links.h"

using namespace ps;

namespace {

DirectoryEntry entry(const std::string& dn, const std::string& anchor) {
  EntryAttributes::Builder b;
  b.begin_attribute("objectClass");
  b.add_value("inetOrgPerson");
  return DirectoryEntry(dn, anchor, b.build());
}

}  // namespace

TEST_CASE("select_links keeps the scope's account links and every other kind", "[scoped]") {
  std::vector<IdentityLink> all = {
      {ObjectKind::org_unit, 1, "u1"},         {ObjectKind::account, 10, "a10"},
      {ObjectKind::account, 11, "a11"},        {ObjectKind::account, 12, "a12"},
      {ObjectKind::shared_account, 50, "s50"}, {ObjectKind::group, 7, "g7"}};
  LinkRequest request;
  request.accounts = {10};
  request.anchors = {"a12"};
  auto got = select_links(all, request);
  CHECK(got.account_links == 4);
  REQUIRE(got.links.size() == 5);
  for (const auto& l : got.links) CHECK(l.anchor != "a11");
}

TEST_CASE("unlinked_anchors names the read entries no loaded link names", "[scoped]") {
  DirectoryReadResult read;
  read.entries.push_back(entry("uid=a,ou=x", "a10"));
  read.entries.push_back(entry("uid=b,ou=x", "b-unknown"));
  read.entries.push_back(entry("uid=c,ou=x", ""));
  auto anchors = unlinked_anchors(read, {{ObjectKind::account, 10, "a10"}});
  CHECK(anchors == std::set<std::string>{"b-unknown"});
}

TEST_CASE("merge_links adds only links not held yet", "[scoped]") {
  std::vector<IdentityLink> links = {{ObjectKind::account, 10, "a10"}};
  merge_links(links, {{ObjectKind::account, 10, "a10"}, {ObjectKind::shared_account, 10, "s10"}});
  CHECK(links.size() == 2);
}
