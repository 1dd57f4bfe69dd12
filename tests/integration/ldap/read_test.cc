// Reading a subtree: a missing base, paging through thousands of entries, what comes back for
// entries a real client (ldapadd) created, and how the anchor is reported.
#include <catch2/catch.hpp>

#include <set>

#include "connectors/ldap/ldap_anchor.h"
#include "core/text.h"
#include "ldap_test_helpers.h"
#include "tests/support/ldif.h"

using namespace ldap_test;
using ps::testing::ldif_line;
using ps::testing::SlapdServer;

namespace {

std::string people_ldif(const std::string& parent, int count) {
  std::string ldif;
  for (int i = 0; i < count; ++i) {
    std::string uid = "u" + std::to_string(i);
    ldif += "dn: uid=" + uid + "," + parent + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\n" +
            ldif_line("cn", "使用者" + std::to_string(i)) + ldif_line("sn", "陳") + "\n";
  }
  return ldif;
}

}  // namespace

TEST_CASE("reading below a missing base is not an error", "[ldap][read]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  auto read = connector->read_subtree({"ou=nowhere,dc=example,dc=org", {"ou"}});
  REQUIRE_OK(read);
  CHECK_FALSE(read->base_exists);
  CHECK(read->entries.empty());

  auto empty = connector->read_subtree({slapd.suffix(), {"ou"}});
  REQUIRE_OK(empty);
  CHECK(empty->base_exists);
  CHECK(empty->entries.empty());  // the base itself is not part of the result
}

TEST_CASE("a paged read returns every entry below the base, with its anchor", "[ldap][read]") {
  SlapdServer slapd;
  std::string base = "ou=big,dc=example,dc=org";
  REQUIRE_OK(slapd.admin_client().add("dn: " + base +
                                      "\nobjectClass: organizationalUnit\n"
                                      "ou: big\n\n" +
                                      people_ldif(base, 3000)));
  auto settings = admin_settings(slapd);
  settings.page_size = 500;
  auto read = connect(settings)->read_subtree({base, {"uid", "cn"}});
  REQUIRE_OK(read);
  CHECK(read->base_exists);
  REQUIRE(read->entries.size() == 3000);
  std::set<std::string> uids, anchors;
  for (const auto& e : read->entries) {
    REQUIRE(e.find("uid"));
    uids.insert(std::string(e.find("uid")->front()));
    anchors.emplace(e.anchor());
    CHECK(!e.find("entryuuid"));  // the anchor is not an attribute unless asked for
  }
  CHECK(uids.size() == 3000);
  CHECK(anchors.size() == 3000);
  const auto* u5 = find_dn(read->entries, "uid=u5," + base);
  REQUIRE(u5);
  CHECK(u5->find("cn")->front() == "使用者5");
  CHECK(u5->anchor() == slapd.search(base, "(uid=u5)").at(0).first("entryUUID"));
}

// slapd's default size limit (500) applies to every account but the rootdn, and by default also
// to the total of a paged search: a service account needs "limits ... size.prtotal=unlimited".
TEST_CASE("a non-root account reads past the size limit only when the server allows it",
          "[ldap][read]") {
  bool allowed = GENERATE(false, true);
  ps::testing::SlapdOptions options;
  if (allowed) options.extra_config = "limits users size=500 size.pr=500 size.prtotal=unlimited";
  SlapdServer slapd(options);
  REQUIRE_OK(slapd.admin_client().add(
      "dn: cn=reader,dc=example,dc=org\nobjectClass: organizationalRole\n"
      "objectClass: simpleSecurityObject\ncn: reader\nuserPassword: reader-pw\n\n"
      "dn: ou=big,dc=example,dc=org\nobjectClass: organizationalUnit\nou: big\n\n" +
      people_ldif("ou=big,dc=example,dc=org", 1200)));
  auto settings = admin_settings(slapd);
  settings.bind_dn = "cn=reader,dc=example,dc=org";
  settings.bind_password = "reader-pw";
  settings.page_size = 400;
  auto paged = connect(settings)->read_subtree({"ou=big,dc=example,dc=org", {"uid"}});
  if (!allowed) {
    REQUIRE_FALSE(paged);
    CHECK(paged.error() ==
          "read ou=big,dc=example,dc=org from " + slapd.url() + ": Size limit exceeded");
    return;
  }
  REQUIRE_OK(paged);
  CHECK(paged->entries.size() == 1200);

  settings.page_size = 1000;  // above size.pr: refused, and the message says why
  auto too_big = connect(settings)->read_subtree({"ou=big,dc=example,dc=org", {"uid"}});
  REQUIRE_FALSE(too_big);
  CHECK_THAT(too_big.error(), Catch::Contains("Administrative limit exceeded: illegal "
                                              "pagedResults page size"));
}

TEST_CASE("what a real client wrote reads back byte for byte", "[ldap][read]") {
  SlapdServer slapd;
  std::string hostile = " 教育局, 第一科 + \"測試\" \\ <x> ; = #1 ";
  std::string parent = ps::join_dn(ps::make_rdn("ou", hostile), slapd.suffix());
  std::string person = ps::join_dn(ps::make_rdn("cn", "#王, 小明+主任"), parent);
  REQUIRE_OK(slapd.admin_client().add(
      ldif_line("dn", parent) + "objectClass: organizationalUnit\n" + ldif_line("ou", hostile) +
      ldif_line("description", "line one\nline two") + "\n" + ldif_line("dn", person) +
      "objectClass: inetOrgPerson\n" + ldif_line("cn", "#王, 小明+主任") + ldif_line("sn", "王") +
      ldif_line("displayName", "王小明（主任）") + "mail: a@example.org\nmail: b@example.org\n"));

  auto read = connect(admin_settings(slapd))->read_subtree({slapd.suffix(), {}});
  REQUIRE_OK(read);
  REQUIRE(read->entries.size() == 2);
  const auto* ou = find_dn(read->entries, parent);
  const auto* user = find_dn(read->entries, person);
  REQUIRE(ou);
  REQUIRE(user);
  CHECK(ou->find("ou")->front() == hostile);
  CHECK(ou->find("description")->front() == "line one\nline two");
  CHECK(ou->has_object_class("organizationalUnit"));
  CHECK(user->find("displayname")->front() == "王小明（主任）");
  CHECK(*user->find("mail") == std::vector<std::string>{"a@example.org", "b@example.org"});
  CHECK_FALSE(user->anchor().empty());
  for (std::size_t i = 0; i < user->attributes().size(); ++i)
    CHECK(user->attributes().name(i) == ps::to_lower_ascii(user->attributes().name(i)));
}

TEST_CASE("objectGUID anchors are shown the way AD shows them", "[ldap][read]") {
  std::string raw = {'\x01', '\x02', '\x03', '\x04', '\x05', '\x06', '\x07', '\x08',
                     '\x09', '\x0a', '\x0b', '\x0c', '\x0d', '\x0e', '\x0f', '\x10'};
  CHECK(ps::format_anchor("objectGUID", raw) == "04030201-0605-0807-090a-0b0c0d0e0f10");
  CHECK(ps::format_anchor("entryUUID", "5ae2500a-7cf5-1041-9261-d56eef478f57") ==
        "5ae2500a-7cf5-1041-9261-d56eef478f57");
}
