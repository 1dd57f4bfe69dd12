#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/directory.h"
#include "core/entry_attributes.h"

using namespace ps;

namespace {

using Strings = std::vector<std::string>;

EntryAttributes person(std::initializer_list<std::string_view> prefix = {}) {
  EntryAttributes::Builder b;
  b.begin_attribute("objectclass");
  b.add_value("top");
  b.add_value("inetOrgPerson");
  b.begin_attribute("cn");
  b.add_value("陳雅婷");
  b.begin_attribute("description");  // an attribute without values
  return b.build(prefix);
}

}  // namespace

TEST_CASE("entry attributes: one block with the owner's prefix in front", "[entry]") {
  auto a = person({"uid=chen,ou=a", "uuid-1"});
  CHECK(a.prefix() == "uid=chen,ou=auuid-1");
  REQUIRE(a.size() == 3);
  CHECK(a.name(0) == "objectclass");
  CHECK(a.values(0) == Strings{"top", "inetOrgPerson"});
  CHECK(*a.find("CN") == Strings{"陳雅婷"});
  CHECK(a.values(2).empty());

  a.set("cn", {"陳", "雅婷"});
  a.add("mail", {"chen@example.org"});
  a.remove("objectclass");
  CHECK(a.prefix() == "uid=chen,ou=auuid-1");  // changes repack around the prefix
  CHECK(*a.find("cn") == Strings{"陳", "雅婷"});
  CHECK(*a.find("mail") == Strings{"chen@example.org"});
  CHECK_FALSE(a.find("objectclass"));

  a.set_prefix({"x"});
  CHECK(a.prefix() == "x");
  CHECK(a.size() == 3);
}

TEST_CASE("entry attributes: copies are deep, moves leave an empty value", "[entry]") {
  auto a = person({"p"});
  EntryAttributes copy = a;
  a.set("cn", {"changed"});
  CHECK(*copy.find("cn") == Strings{"陳雅婷"});
  CHECK(copy.prefix() == "p");
  copy = a;
  CHECK(*copy.find("cn") == Strings{"changed"});

  EntryAttributes moved = std::move(a);
  CHECK(moved.size() == 3);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  CHECK(a.prefix().empty());
  CHECK_FALSE(a.find("cn"));

  EntryAttributes none;
  CHECK(none.empty());
  EntryAttributes none_copy = none;
  CHECK(none_copy.empty());
  CHECK(EntryAttributes::Builder().build().empty());
}

TEST_CASE("a directory entry keeps its DN and anchor in the attributes' block", "[entry]") {
  EntryAttributes::Builder b;
  b.begin_attribute("uid");
  b.add_value("chen");
  DirectoryEntry e("uid=chen,ou=戶政科,dc=example,dc=org", "5c1f0a2e", b);
  CHECK(e.dn() == "uid=chen,ou=戶政科,dc=example,dc=org");
  CHECK(e.anchor() == "5c1f0a2e");
  CHECK(*e.find("uid") == Strings{"chen"});
  CHECK(e.attributes().prefix() == std::string(e.dn()) + std::string(e.anchor()));

  e.add_attribute("objectclass", {"inetOrgPerson"});
  e.set_attribute("uid", {"chen2"});
  e.remove_attribute("nothing");
  CHECK(e.has_object_class("INETORGPERSON"));
  CHECK(e.dn() == "uid=chen,ou=戶政科,dc=example,dc=org");
  CHECK(e.anchor() == "5c1f0a2e");

  e.set_dn("uid=chen2,ou=a");
  CHECK(e.dn() == "uid=chen2,ou=a");
  CHECK(e.anchor() == "5c1f0a2e");
  e.set_anchor("");
  CHECK(e.anchor().empty());
  e.set_dn(e.dn().substr(0, 9));  // a view into the entry itself
  CHECK(e.dn() == "uid=chen2");
  CHECK(*e.find("uid") == Strings{"chen2"});

  DirectoryEntry bare("ou=a", "uuid-2", EntryAttributes{});
  CHECK(bare.dn() == "ou=a");
  CHECK(bare.anchor() == "uuid-2");
  CHECK(bare.attributes().empty());
  DirectoryEntry empty;
  CHECK(empty.dn().empty());
  CHECK(empty.anchor().empty());
  CHECK_FALSE(empty.find("uid"));
}

TEST_CASE("a directory entry is a pointer and a few sizes", "[entry]") {
  // 100,000 of them in a no-op run: the vector stays at 3.2 MB.
  STATIC_REQUIRE(sizeof(DirectoryEntry) <= 32);
}
