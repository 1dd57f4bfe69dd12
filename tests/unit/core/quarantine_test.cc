// Quarantine: a row the directory keeps refusing stops being sent after N failed runs, the rest
// keeps syncing, and a release lets it be tried again.
#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("a row refused in 3 runs in a row is quarantined, the others sync on", "[quarantine]") {
  World w;
  w.options.quarantine.after = 3;
  w.store.portal = tainan();
  w.sync();
  auto dn = "uid=chen.yating," + kHouseholdDn;
  w.dir.fail_dns.insert(dn);
  w.store.portal.accounts[0].set_title("科長");
  for (int run = 1; run <= 3; ++run) {
    w.store.portal.accounts[1].set_title("第" + std::to_string(run) + "次");
    auto report = w.sync();
    CHECK(report.applied.failed == 1);
    CHECK(report.quarantined == (run == 3 ? 1u : 0u));
  }
  REQUIRE(w.store.quarantine.size() == 1);
  CHECK(w.store.quarantine[0].quarantined);
  CHECK(w.store.quarantine[0].failures == 3);
  CHECK_THAT(w.store.quarantine[0].last_error, Catch::Contains("injected failure"));

  // Run 4: not sent any more; the other account's change still goes through.
  auto sent_before = w.dir.operations_sent;
  w.store.portal.accounts[1].set_title("第4次");
  auto report = w.sync();
  CHECK(report.applied.failed == 0);
  CHECK(report.applied.held == 1);
  CHECK(report.quarantined == 1);
  CHECK_FALSE(report.complete());
  CHECK(w.dir.operations_sent == sent_before + 1);
  CHECK(w.dir.value("uid=lin.wei," + kEducationDn, "title") == "第4次");

  // Released (the directory was fixed): sent again, and forgotten once it succeeds.
  w.dir.fail_dns.clear();
  w.store.quarantine.clear();
  report = w.sync();
  CHECK(report.applied.applied == 1);
  CHECK(w.dir.value(dn, "title") == "科長");
  CHECK(w.store.quarantine.empty());
}

TEST_CASE("a success before the limit forgets the failures", "[quarantine]") {
  World w;
  w.options.quarantine.after = 3;
  w.store.portal = tainan();
  w.sync();
  auto dn = "uid=chen.yating," + kHouseholdDn;
  w.dir.fail_dns.insert(dn);
  w.store.portal.accounts[0].set_title("科長");
  w.sync();
  w.sync();
  REQUIRE(w.store.quarantine.size() == 1);
  CHECK(w.store.quarantine[0].failures == 2);
  w.dir.fail_dns.clear();
  w.sync();
  CHECK(w.store.quarantine.empty());
}
