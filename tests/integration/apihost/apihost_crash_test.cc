// The API host killed (SIGKILL) in the middle of a sync and started again: the run in progress
// fails or finishes on its retries, and the next sync converges with every account once.
#include <catch2/catch.hpp>

#include "apihost_world.h"

using namespace ps::testing;
using namespace apihost_test;

TEST_CASE("api host: killed mid-batch and restarted, the next sync converges with no duplicates",
          "[apihost]") {
  ApiHost host("apihost-crash");
  PortalFixture portal(host.dc, host.base);
  host.configure(portal);
  REQUIRE(run({bin("portalsync"), "db", "sample", "--database", "sqlite3://db=" + portal.database(),
               "--accounts", "200", "--seed", "7"})
              .ok());
  // sAMAccountName is unique in the whole domain: names of this test's own.
  portal.exec("UPDATE accounts SET username = 'kc' || id");
  portal.exec("UPDATE shared_accounts SET username = 'kcs' || id");
  auto accounts = std::stoul(portal.query_one("SELECT COUNT(*) FROM accounts"));
  auto shared = std::stoul(portal.query_one("SELECT COUNT(*) FROM shared_accounts"));

  pid_t sync = spawn({bin("portalsync"), "sync", "--once", "-c", portal.config()},
                     host.dir.file("sync.log"));
  for (int i = 0; i < 600 && count_of(host.log(), "]: applied") < 40; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto applied_before_kill = count_of(host.log(), "]: applied");
  host.kill_hard();
  CHECK(applied_before_kill >= 40);
  CHECK(applied_before_kill < accounts);  // killed with work left to do
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  host.start();
  stop(sync, 0, 120);  // let it end on its own (it retries, then fails or finishes)

  auto next = portal.portalsync({"sync", "--once"});
  INFO(next.out << next.err << read_file(host.dir.file("sync.log")));
  REQUIRE(next.exit_code == 0);
  auto plan = portal.portalsync({"plan", "--json"});
  CHECK(plan.out.find("\"operations\":[]") != std::string::npos);
  // One user object per portal account and shared account (pending and disabled ones too).
  CHECK(host.count("(&(objectClass=user)(sAMAccountName=kc*))") == accounts + shared);
  for (std::size_t id = 1; id <= accounts; id += 37)
    CHECK(host.count("(sAMAccountName=kc" + std::to_string(id) + ")") == 1);
}
