// The selective read a scoped run asks of slapd (LdapConnector::read_selected): every unit and
// group, only the user entries named by anchor or name, and in the groups only their members.
#include <catch2/catch.hpp>

#include "connectors/ldap/ldap_anchor.h"
#include "core/mapping.h"
#include "ldap_test_helpers.h"
#include "tests/support/ldif.h"

using namespace ldap_test;
using ps::testing::ldif_line;
using ps::testing::SlapdServer;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";
const std::string kUnit = "ou=民政局," + kBase;
const std::string kGroups = "ou=groups," + kBase;

std::string person(const std::string& uid, const std::string& cn) {
  return "dn: uid=" + uid + "," + kUnit + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\n" +
         ldif_line("cn", cn) + ldif_line("sn", cn.substr(0, 3)) + "\n";
}

// A unit with 300 people (so the read spans several filters and pages) and a group of all.
void seed(SlapdServer& slapd) {
  std::string ldif = "dn: " + kBase + "\nobjectClass: organizationalUnit\nou: portal\n\n" +
                     ldif_line("dn", kUnit) + "objectClass: organizationalUnit\n" +
                     ldif_line("ou", "民政局") + "\ndn: " + kGroups +
                     "\nobjectClass: organizationalUnit\nou: groups\n\n";
  std::string members;
  for (int i = 0; i < 300; ++i) {
    ldif += person("u" + std::to_string(i), "陳" + std::to_string(i));
    members += ldif_line("member", "uid=u" + std::to_string(i) + "," + kUnit);
  }
  ldif += "dn: cn=sys-edoc," + kGroups + "\nobjectClass: groupOfNames\ncn: sys-edoc\n" + members;
  REQUIRE_OK(slapd.admin_client().add(ldif));
}

ps::SelectiveReadSpec spec_for(std::vector<std::string> anchors,
                               std::vector<std::string> usernames) {
  ps::MappingOptions mapping;
  mapping.base_dn = kBase;
  mapping.groups_dn = kGroups;
  return ps::selective_read_spec(mapping, std::move(anchors), std::move(usernames));
}

}  // namespace

TEST_CASE("a selective read returns the units, the groups and just the named users",
          "[ldap][read][scoped]") {
  SlapdServer slapd;
  seed(slapd);
  auto connector = connect(admin_settings(slapd));
  auto u7 = slapd.search(kUnit, "(uid=u7)").at(0).first("entryUUID");
  // One by anchor, one by name in another letter case, one that does not exist, and 150 more
  // names so that the users take two filters.
  std::vector<std::string> names = {"U250", "nobody"};
  for (int i = 100; i < 250; ++i) names.push_back("u" + std::to_string(i));
  auto read = connector->read_selected(spec_for({u7}, names));
  REQUIRE_OK(read);
  CHECK(read->base_exists);

  std::size_t users = 0;
  for (const auto& e : read->entries)
    if (e.has_object_class("inetOrgPerson")) ++users;
  CHECK(users == 152);
  CHECK(find_dn(read->entries, kUnit));
  CHECK(find_dn(read->entries, kGroups));
  const auto* u7_entry = find_dn(read->entries, "uid=u7," + kUnit);
  REQUIRE(u7_entry);
  CHECK(u7_entry->anchor() == u7);
  CHECK(u7_entry->find("cn")->front() == "陳7");
  CHECK(find_dn(read->entries, "uid=u250," + kUnit));
  CHECK_FALSE(find_dn(read->entries, "uid=u8," + kUnit));

  const auto* group = find_dn(read->entries, "cn=sys-edoc," + kGroups);
  REQUIRE(group);
  REQUIRE(group->find("member"));
  CHECK(group->find("member")->size() == 152);  // of its 300: only the users read
}

// slapd has RFC 3876 matched values: a few users' memberships come back without the group's
// other members, and with none at all when no user was read.
TEST_CASE("a selective read of a few users asks the server for just their memberships",
          "[ldap][read][scoped]") {
  SlapdServer slapd;
  seed(slapd);
  auto connector = connect(admin_settings(slapd));
  auto few = connector->read_selected(spec_for({}, {"u3", "u4"}));
  REQUIRE_OK(few);
  const auto* group = find_dn(few->entries, "cn=sys-edoc," + kGroups);
  REQUIRE(group);
  CHECK(group->find("cn")->front() == "sys-edoc");
  CHECK(group->has_object_class("groupOfNames"));
  CHECK(group->anchor() == slapd.search(kGroups, "(cn=sys-edoc)").at(0).first("entryUUID"));
  REQUIRE(group->find("member"));
  CHECK(group->find("member")->size() == 2);

  auto none = connector->read_selected(spec_for({}, {"not.yet.there"}));
  REQUIRE_OK(none);
  group = find_dn(none->entries, "cn=sys-edoc," + kGroups);
  REQUIRE(group);
  CHECK(group->find("cn"));
  CHECK_FALSE(group->find("member"));
}

TEST_CASE("a selective read keeps empty groups' placeholders: their own DN, or the OU of old",
          "[ldap][read][scoped]") {
  SlapdServer slapd;
  seed(slapd);
  const std::string empty = "cn=sys-none," + kGroups, old = "cn=sys-old," + kGroups;
  REQUIRE(slapd.add("dn: " + empty + "\nobjectClass: groupOfNames\ncn: sys-none\nmember: " + empty +
                    "\n\ndn: " + old +
                    "\nobjectClass: groupOfNames\ncn: sys-old\nmember: " + kGroups + "\n") == 0);
  ps::MappingOptions mapping;
  mapping.base_dn = kBase;
  mapping.groups_dn = kGroups;
  std::vector<ps::System> systems = {{1, "edoc", "公文系統", "sys-edoc"},
                                     {2, "none", "無人系統", "sys-none"},
                                     {3, "old", "舊系統", "sys-old"}};
  auto connector = connect(admin_settings(slapd));
  auto read = connector->read_selected(ps::selective_read_spec(mapping, {}, {"u3"}, systems));
  REQUIRE_OK(read);
  auto members = [&](const std::string& dn) {
    const auto* group = find_dn(read->entries, dn);
    REQUIRE(group);
    REQUIRE(group->find("member"));
    return group->find("member")->strings();
  };
  CHECK(members(empty) == std::vector<std::string>{empty});
  CHECK(members(old) == std::vector<std::string>{kGroups});
  CHECK(members("cn=sys-edoc," + kGroups) == std::vector<std::string>{"uid=u3," + kUnit});
}

TEST_CASE("a selective read of a missing base says so", "[ldap][read][scoped]") {
  SlapdServer slapd;
  auto read = connect(admin_settings(slapd))->read_selected(spec_for({}, {"u1"}));
  REQUIRE_OK(read);
  CHECK_FALSE(read->base_exists);
  CHECK(read->entries.empty());
}

TEST_CASE("an objectGUID anchor becomes its raw bytes in a filter", "[ldap][read][scoped]") {
  std::string raw = {'\x01', '\x02', '\x03', '\x04', '\x05', '\x06', '\x07', '\x08',
                     '\x09', '\x0a', '\x0b', '\x0c', '\x0d', '\x2a', '\x28', '\x5c'};
  auto text = ps::format_anchor("objectGUID", raw);
  CHECK(ps::anchor_filter_value("objectGUID", text) ==
        "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\2a\\28\\5c");
  CHECK(ps::anchor_filter_value("objectGUID", "not-a-guid").empty());
  CHECK(ps::anchor_filter_value("entryUUID", "a*(b)") == "a\\2a\\28b\\29");
}
