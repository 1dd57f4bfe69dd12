// kill -9 in the middle of a large first sync, at several points: the rerun converges to exactly
// the portal with no duplicates, and the change log has no silent gap.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

TEST_CASE("a sync killed with SIGKILL mid-way converges on the next run", "[cli][crash]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  REQUIRE(portal.sample(4000, 120).exit_code == 0);
  portal.exec("UPDATE accounts SET last_login_at = '" + utc_in(0) + "'");

  // Each kill comes a set time after the run recorded itself, not after the start: a slow start
  // (a loaded machine, a sanitized build) must not let the kill land before the run began.
  auto runs = [&] { return std::stoi(portal.query_one("SELECT count(*) FROM ps_runs")); };
  for (int delay_ms : {150, 300, 450}) {
    int before = runs();
    auto pid = spawn({bin("portalsync"), "sync", "--once", "-c", portal.config()},
                     portal.dir().file("killed.log"));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (runs() == before && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    stop(pid, SIGKILL, 0);
  }
  auto rerun = portal.portalsync({"sync", "--once"});
  INFO(rerun.out << rerun.err);
  REQUIRE(rerun.exit_code == 0);

  auto users = slapd.search(portal.base_dn(), kPersonalAccountsFilter, {"uid"});
  std::set<std::string> uids;
  for (const auto& u : users) uids.insert(u.first("uid"));
  CHECK(users.size() == 4000);
  CHECK(uids.size() == 4000);  // no duplicates
  auto plan = portal.portalsync({"plan", "--json"});
  CHECK_THAT(plan.out, Catch::Contains("\"operations\":[]"));

  // No silent gaps: nothing is left pending, and every account entry has an add that is either
  // recorded as applied or flagged unknown by the run after the crash.
  CHECK(portal.query_one("SELECT count(*) FROM ps_pending_intents") == "0");
  CHECK(portal.query_one("SELECT count(*) FROM ps_changes WHERE result = 'pending'") == "0");
  CHECK(portal.query_one("SELECT count(DISTINCT subject_id) FROM ps_changes WHERE operation = "
                         "'add' AND kind = 'account' AND result IN ('applied', 'unknown')") ==
        "4000");
  CHECK(portal.query_one("SELECT count(*) FROM ps_runs WHERE status = 'interrupted'") != "0");
}
