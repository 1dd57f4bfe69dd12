// diff_attributes: only what differs is modified; values of DN syntax (manager, member) match
// however the server escaped them, so a second plan after a sync is empty.
#include <catch2/catch.hpp>

#include "core/dn.h"
#include "core/mapping.h"
#include "core/planner.h"

using namespace ps;

namespace {

DirectoryEntry entry_with(const std::string& name, const std::vector<std::string>& values) {
  DirectoryEntry e("uid=box,ou=x,dc=example,dc=org", "anchor-1");
  e.set_attribute("displayName", {"信箱"});
  e.set_attribute(name, values);
  return e;
}

// What the product writes for a custodian in a unit named `unit`.
std::string custodian_in(const std::string& unit) {
  return join_dn("uid=chen", join_dn(make_rdn("ou", unit), "ou=portal,dc=example,dc=org"));
}

}  // namespace

TEST_CASE("diff_attributes: a manager DN the server re-escaped is not rewritten", "[planner][dn]") {
  // Written as "\;", "\=", "\#": AD returns hex escapes, slapd "\23" for a leading "#", and either
  // may spell the types in capitals.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {";局=處", "uid=chen,ou=\\3B局\\3D處,ou=portal,dc=example,dc=org"},
      {"#首,+\"\\<>", "uid=chen,ou=\\23首\\2C\\2B\\22\\5C\\3C\\3E,ou=portal,dc=example,dc=org"},
      {" 前後 ", "UID=chen,OU=\\20前後\\20,OU=portal,DC=example,DC=org"},
      {"中文", "uid=chen,ou=\\E4\\B8\\AD\\E6\\96\\87,ou=portal,dc=example,dc=org"},
  };
  for (const auto& [unit, returned] : cases) {
    INFO(unit << " -> " << returned);
    auto actual = entry_with("manager", {returned});
    CHECK(diff_attributes(&actual, {{"manager", {custodian_in(unit)}}}).empty());
  }
}

TEST_CASE("diff_attributes: a different manager DN is still replaced", "[planner][dn]") {
  auto actual = entry_with("manager", {"uid=chen,ou=\\3B局,ou=portal,dc=example,dc=org"});
  auto mods = diff_attributes(&actual, {{"manager", {custodian_in(";處")}}});
  REQUIRE(mods.size() == 1);
  CHECK(mods[0].kind == Modification::Kind::replace);
  CHECK(mods[0].values == std::vector<std::string>{custodian_in(";處")});
  // A value that is not a DN at all compares as text and differs.
  auto broken = entry_with("manager", {"not a dn"});
  CHECK(diff_attributes(&broken, {{"manager", {custodian_in("x")}}}).size() == 1);
  // Gone from the portal: removed.
  auto removed = diff_attributes(&actual, {{"manager", {}}});
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].kind == Modification::Kind::remove);
}

TEST_CASE("diff_attributes: member DNs match as a set, whatever their order and escaping",
          "[planner][dn]") {
  auto actual = entry_with("member", {"CN=b\\2Bc,OU=g,DC=x", "cn=a\\3B,ou=g,dc=x"});
  CHECK(
      diff_attributes(&actual, {{"member", {"cn=a\\;,ou=g,dc=x", "cn=b\\+c,ou=g,dc=x"}}}).empty());
  CHECK(diff_attributes(&actual, {{"member", {"cn=a\\;,ou=g,dc=x"}}}).size() == 1);
  CHECK(diff_attributes(&actual, {{"member", {"cn=a\\;,ou=g,dc=x", "cn=b,ou=g,dc=x"}}}).size() ==
        1);
}

TEST_CASE("diff_attributes: other attributes still compare as exact strings", "[planner][dn]") {
  // displayName is not DN syntax: a value that only looks like a DN differently escaped differs.
  auto actual = entry_with("description", {"ou=\\3B"});
  CHECK(diff_attributes(&actual, {{"description", {"ou=\\;"}}}).size() == 1);
  CHECK(diff_attributes(&actual, {{"displayName", {"信箱"}}}).empty());
  CHECK(is_dn_syntax_attribute("Manager"));
  CHECK(is_dn_syntax_attribute("member"));
  CHECK_FALSE(is_dn_syntax_attribute("displayName"));
  CHECK_FALSE(is_dn_syntax_attribute("departmentNumber"));
}
