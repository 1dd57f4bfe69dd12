// directory.posix against Samba AD (provisioned with --use-rfc2307): users carry uidNumber,
// gidNumber, unixHomeDirectory and loginShell, groups a gidNumber, and a transfer keeps the number.
#include <catch2/catch.hpp>

#include "ad_cli_helpers.h"

using namespace ad_cli;

namespace {

LdifEntry posix_entry(const AdPortal& p, const std::string& filter) {
  auto found = p.dc.admin_client().search(
      p.base, filter, {"uidNumber", "gidNumber", "unixHomeDirectory", "loginShell"});
  REQUIRE(found);
  REQUIRE(found->size() == 1);
  return found->front();
}

}  // namespace

TEST_CASE("ad flavor: POSIX identities on users and groups, the number kept across a transfer",
          "[ad][posix]") {
  AdPortal p("ad-posix", groups_yaml("OU=ad-posix,DC=portal,DC=test") +
                             "  posix:\n    uid_min: 300000\n    gid_min: 310000\n");
  p.portal.seed_small_tree("px");
  p.portal.exec(
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', 'px-edoc');"
      "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1);");
  auto first = p.sync();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  auto chen = posix_entry(p, "(sAMAccountName=px.chen)");
  CHECK(chen.first("uidNumber") == "300000");
  CHECK(chen.first("gidNumber") == "100");
  CHECK(chen.first("unixHomeDirectory") == "/home/px.chen");
  CHECK(chen.first("loginShell") == "/bin/bash");
  CHECK(posix_entry(p, "(&(objectClass=group)(cn=px-edoc))").first("gidNumber") == "310000");

  p.portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE id = 1");
  auto moved = p.sync();
  INFO(moved.out << moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK(posix_entry(p, "(sAMAccountName=px.chen)").first("uidNumber") == "300000");
  CHECK(p.portal.plan_is_empty());
}
