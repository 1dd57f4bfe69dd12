// The AD account stories through the API host (tests/support/ad_stories.h, the same ones ad_cli
// tells over LDAP): passwords with a real bind after them, unlock, entitlement groups and a shared
// account's manager. Plus what only the host path has: a password AD refuses comes back through
// the host, and no password reaches the host's log or records.
#include <catch2/catch.hpp>

#include "apihost_world.h"
#include "tests/support/ad_stories.h"

using namespace ps::testing;
using namespace apihost_test;
using Catch::Contains;

namespace {

// Everything the host wrote down: its log and its SQLite files (with the WAL).
std::string host_files(const ApiHost& host) {
  std::string all = host.log();
  for (const auto& suffix : {"", "-wal"}) {
    try {
      all += read_file(host.requests_db() + suffix);
    } catch (const std::runtime_error&) {
    }
  }
  return all;
}

}  // namespace

TEST_CASE("api host: a password set through the host lets the user bind, until disabled",
          "[apihost][password]") {
  ApiHost host("apihost-password");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal);
  story_password_lets_the_user_bind_until_disabled({host.dc, host.base, portal}, "hp");
  CHECK_THAT(host.log(), Contains("set_password CN=hp.lin,"));
  CHECK(host_files(host).find(kStrongPassword) == std::string::npos);
}

TEST_CASE("api host: a password the policy or AD refuses is not set, the old one still works",
          "[apihost][password]") {
  ApiHost host("apihost-password-policy");
  PortalFixture portal(host.dc, host.base);
  // A local policy laxer than AD's, so that AD's own refusal has to travel back through the host.
  host.configure(portal, "passwords:\n  min_classes: 1\n  max_run: 0\n");
  AdWorld w{host.dc, host.base, portal};
  portal.seed_small_tree("hq");
  REQUIRE(w.sync().exit_code == 0);
  REQUIRE(
      portal.portalsync({"password", "set", "hq.wang", "--stdin"}, kStrongPassword + "\n").ok());

  // portalsync's policy refuses it (it holds the username): nothing reaches the host.
  auto local = portal.portalsync({"password", "set", "hq.wang", "--stdin"}, "hq.wang-kwpzmtrh\n");
  CHECK(local.exit_code != 0);
  CHECK_THAT(local.err, Contains("forbid_username"));
  CHECK(count_of(host.log(), "set_password CN=hq.wang,") == 1);

  // AD's complexity rule refuses one class of characters; the host answers "refused".
  const std::string simple = "kwpzmtrhvbndxq";
  auto remote = portal.portalsync({"password", "set", "hq.wang", "--stdin"}, simple + "\n");
  INFO(remote.out << remote.err << host.log());
  CHECK(remote.exit_code != 0);
  CHECK_THAT(remote.err, Contains("0000052D"));
  CHECK_THAT(host.log(), Contains("set_password CN=hq.wang,"));
  CHECK_THAT(host.log(), Contains("]: refused: "));
  CHECK(w.can_bind("hq.wang", kStrongPassword));
  CHECK_FALSE(w.can_bind("hq.wang", simple));
  CHECK(host_files(host).find(simple) == std::string::npos);
}

TEST_CASE("api host: unlock through the host clears a lockout AD set", "[apihost][password]") {
  ApiHost host("apihost-unlock");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal);
  story_unlock_clears_a_lockout({host.dc, host.base, portal}, "hu");
  CHECK_THAT(host.log(), Contains("unlock CN=hu.wang,"));
}

TEST_CASE("api host: group membership follows a transfer, a shared account carries manager",
          "[apihost][groups]") {
  ApiHost host("apihost-groups");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal, groups_yaml(host.base));
  story_groups_follow_a_transfer({host.dc, host.base, portal}, "hg");
  CHECK_THAT(host.log(), Contains("modify CN=hg-app-hr,OU=groups,"));
}

TEST_CASE("api host: a journal run carries a transfer with its groups and manager",
          "[apihost][groups][scoped]") {
  ApiHost host("apihost-journal");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal, groups_yaml(host.base));
  story_groups_follow_a_transfer({host.dc, host.base, portal}, "hj", true);
}
