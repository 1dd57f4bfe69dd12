// Not run by ctest (hidden tag): the API-host path's overhead against the direct LDAP path on the
// same first sync. Run by hand, with the Samba fixture up or not:
//   build/bin/apihost_tests "[.overhead]" -s
#include <catch2/catch.hpp>

#include "apihost_world.h"

using namespace ps::testing;
using namespace apihost_test;

namespace {

double timed_first_sync(const PortalFixture& portal, const std::string& prefix, int accounts) {
  REQUIRE(run({bin("portalsync"), "db", "sample", "--database", "sqlite3://db=" + portal.database(),
               "--accounts", std::to_string(accounts), "--seed", "11"})
              .ok());
  portal.exec("UPDATE accounts SET username = '" + prefix + "' || id");
  portal.exec("UPDATE shared_accounts SET username = '" + prefix + "s' || id");
  auto start = std::chrono::steady_clock::now();
  auto sync = portal.portalsync({"sync", "--once"});
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(sync.out << sync.err);
  REQUIRE(sync.ok());
  return seconds;
}

}  // namespace

TEST_CASE("api host: overhead of the API-host path against direct LDAP", "[.overhead]") {
  const int accounts = 300;
  ApiHost host("apihost-overhead-via");
  PortalFixture via(host.dc, host.base);
  host.configure(via);
  PortalFixture direct(host.dc, host.dc.fresh_ou("apihost-overhead-direct"));
  double direct_s = timed_first_sync(direct, "od", accounts);
  double via_s = timed_first_sync(via, "ov", accounts);
  std::printf("first sync of %d accounts: direct %.2f s, via the API host %.2f s, ratio %.2f\n",
              accounts, direct_s, via_s, via_s / direct_s);
}
