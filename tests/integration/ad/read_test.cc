// Reading Active Directory (a Samba DC) through the connector: entries a real client made, with
// Chinese names, come back with their objectGUID anchors; a read from the domain root ignores
// AD's referrals to other partitions; the ad flavor pages at AD's MaxPageSize at most.
#include <catch2/catch.hpp>

#include "ad_test_helpers.h"
#include "connectors/ldap/ldap_read.h"

using namespace ad_test;

TEST_CASE("an AD OU with Chinese names reads back with objectGUID anchors", "[ad][read]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("read-chinese");
  std::string unit = "OU=第一科," + base;
  std::string user = "CN=王小明," + unit;
  REQUIRE_OK(
      dc.admin_client().add("dn: " + unit + "\nobjectClass: organizationalUnit\n\n" +  //
                            "dn: " + user + "\nobjectClass: user\nsAMAccountName: read.wang\n" +
                            "displayName: 王小明（科長）\ntitle: 科長\ndepartment: 資訊室\n"));

  auto connector = connect(dc.connector_settings());
  auto read = connector->read_subtree({base, {"displayName", "title", "department", "ou"}});
  REQUIRE_OK(read);
  CHECK(read->base_exists);
  REQUIRE(read->entries.size() == 2);
  const auto* u = find_dn(read->entries, user);
  REQUIRE(u);
  CHECK(u->find("displayname")->front() == "王小明（科長）");
  CHECK(u->find("title")->front() == "科長");
  CHECK(u->find("department")->front() == "資訊室");
  CHECK(u->anchor() == guid_seen_by_client(dc, user));
  const auto* ou = find_dn(read->entries, unit);
  REQUIRE(ou);
  CHECK(ou->find("ou")->front() == "第一科");
  CHECK(ou->anchor() == guid_seen_by_client(dc, unit));
}

TEST_CASE("an AD read from the domain root skips the referrals to other partitions", "[ad][read]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("read-root");
  auto connector = connect(dc.connector_settings());
  // Without referral chasing switched off, libldap would follow these to ldaps://portal.test/.
  auto read = connector->read_subtree({dc.base_dn, {"ou"}});
  REQUIRE_OK(read);
  CHECK(find_dn(read->entries, base) != nullptr);
  CHECK(find_dn(read->entries, "CN=Users," + dc.base_dn) != nullptr);
  for (const auto& e : read->entries) CHECK_FALSE(e.anchor().empty());
}

TEST_CASE("a missing AD base reads as absent", "[ad][read]") {
  const SambaDc& dc = shared_samba();
  auto connector = connect(dc.connector_settings());
  auto read = connector->read_subtree({"OU=不存在," + dc.base_dn, {}});
  REQUIRE_OK(read);
  CHECK_FALSE(read->base_exists);
  CHECK(read->entries.empty());
}

TEST_CASE("the ad flavor asks for at most 1000 entries a page", "[ad][read]") {
  const SambaDc& dc = shared_samba();
  auto settings = dc.connector_settings();
  for (auto [asked, sent] : {std::pair{500, 500}, {1000, 1000}, {5000, 1000}, {0, 1000}}) {
    settings.page_size = asked;
    CHECK(ps::effective_page_size(settings) == sent);
  }
  settings.flavor = ps::Flavor::openldap;  // slapd has no such limit
  settings.page_size = 5000;
  CHECK(ps::effective_page_size(settings) == 5000);
  settings.page_size = 0;
  CHECK(ps::effective_page_size(settings) == 0);
}

TEST_CASE("an AD selective read finds users by objectGUID and by sAMAccountName",
          "[ad][read][scoped]") {
  const SambaDc& dc = shared_samba();
  std::string base = dc.fresh_ou("read-selected");
  std::string unit = "OU=第二科," + base;
  std::string ldif = "dn: " + unit + "\nobjectClass: organizationalUnit\n\n";
  for (const char* name : {"sel.chen", "sel.lin", "sel.wang"})
    ldif += "dn: CN=" + std::string(name) + "," + unit +
            "\nobjectClass: user\nsAMAccountName: " + name + "\n\n";
  REQUIRE_OK(dc.admin_client().add(ldif));

  ps::MappingOptions mapping;
  mapping.flavor = ps::Flavor::ad;
  mapping.base_dn = base;
  auto spec = ps::selective_read_spec(mapping, {guid_seen_by_client(dc, "CN=sel.chen," + unit)},
                                      {"SEL.WANG"});
  auto read = connect(dc.connector_settings())->read_selected(spec);
  REQUIRE_OK(read);
  REQUIRE(read->entries.size() == 3);  // the unit and two of the three users
  CHECK(find_dn(read->entries, unit));
  CHECK(find_dn(read->entries, "CN=sel.chen," + unit));
  CHECK(find_dn(read->entries, "CN=sel.wang," + unit));
}
