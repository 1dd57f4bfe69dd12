// The foundation and AD scenarios through the API host: portal (SQLite) -> `portalsync sync` with
// the apihost connector -> portalsync-apihost (mutual TLS, token) -> Samba AD, read back with
// ldapsearch over ldaps.
#include <catch2/catch.hpp>

#include "apihost_world.h"
#include "core/dn.h"
#include "tests/support/ad_stories.h"

using namespace ps::testing;
using namespace apihost_test;

TEST_CASE("api host: a first sync, a transfer and a disable reach AD through the API host",
          "[apihost]") {
  ApiHost host("apihost-sync");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal);
  portal.seed_small_tree("hs");
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err << host.log());
  REQUIRE(first.exit_code == 0);
  auto chen = host.entry("(sAMAccountName=hs.chen)");
  REQUIRE(chen);
  CHECK(chen->first("displayName") == "陳雅婷");
  CHECK(chen->first("userPrincipalName") == "hs.chen@portal.test");
  CHECK(chen->first("userAccountControl") == "512");
  CHECK(ps::normalize_dn(chen->dn) ==
        ps::normalize_dn("CN=hs.chen,OU=戶政科,OU=民政局,OU=臺南市政府," + host.base));
  CHECK(host.entry("(sAMAccountName=hs.pending)")->first("userAccountControl") == "514");
  CHECK(portal.plan_is_empty());
  auto guid = chen->first("objectGUID");

  portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE id = 1");
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE id = 2");
  auto second = portal.portalsync({"sync", "--once"});
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  auto moved = host.entry("(sAMAccountName=hs.chen)");
  REQUIRE(moved);
  CHECK(moved->first("objectGUID") == guid);
  CHECK(ps::normalize_dn(moved->dn) ==
        ps::normalize_dn("CN=hs.chen,OU=教育局,OU=臺南市政府," + host.base));
  CHECK(host.entry("(sAMAccountName=hs.lin)")->first("userAccountControl") == "514");
  CHECK(portal.plan_is_empty());
  // Every operation is logged with the caller: the token's name and the certificate's subject.
  CHECK_THAT(host.log(), Catch::Contains("portal-sync (CN=portal-app-01,O=portalsync tests) add"));
  // The engine above the connector is unchanged: the change log has the run as with ldap.
  CHECK(portal.query_one("SELECT COUNT(*) FROM ps_changes WHERE operation = 'add' AND kind = "
                         "'account' AND result = 'applied'") == "5");
}

// The documented deployment: base_dn equal to the host's allowed_base_dn, and the managed OU not
// yet in AD. The first sync creates the base through the host and everything below it; the host
// still refuses to delete, move or rename its base, and anything above it.
TEST_CASE("api host: the documented deployment's first sync creates the managed base",
          "[apihost]") {
  ApiHost host("apihost-first");
  auto removed = host.dc.admin_client().run_tool("ldapdelete", "", {host.base});
  INFO(removed.out << removed.err);
  REQUIRE(removed.exit_code == 0);
  REQUIRE_FALSE(host.dc.admin_client().read(host.base, {"1.1"}));
  PortalFixture portal(host.dc, host.base);
  host.configure(portal, groups_yaml(host.base));
  portal.seed_small_tree("hf");
  portal.exec(
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'HR', '人事系統', 'hf-app-hr');"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1);");
  auto first = portal.portalsync({"sync", "--once"});
  INFO(first.out << first.err << host.log());
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains(" 0 failed, 0 skipped"));
  CHECK(host.count("(objectClass=organizationalUnit)") >= 5);  // base, 4 units, groups
  CHECK(host.entry("(sAMAccountName=hf.chen)"));
  CHECK(host.entry("(sAMAccountName=hf-app-hr)"));
  CHECK(portal.plan_is_empty());

  // The base is the host's to create and modify, never to delete, move or rename.
  auto batch = [&](const std::string& op) {
    return host.curl("POST", "/v1/batch",
                     R"({"operations":[{"key":"base-)" + op + R"(","action":")" + op +
                         R"(","dn":")" + host.base + R"(","new_rdn":"OU=elsewhere"}]})",
                     host.full_auth());
  };
  for (const std::string op : {"delete", "rename", "move", "disable"}) {
    auto r = batch(op);
    INFO(op << ": " << r.out);
    CHECK_THAT(r.out, Catch::Contains("not below the subtree"));
  }
  CHECK(host.dc.admin_client().read(host.base, {"1.1"}));
  auto above =
      host.curl("POST", "/v1/batch", add_ou_batch("above-1", host.dc.base_dn), host.full_auth());
  CHECK_THAT(above.out, Catch::Contains("not below the subtree"));
}
