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

namespace {

const QuarantineEntry* tracked(const World& w, ObjectKind kind, RowId id) {
  for (const auto& e : w.store.quarantine)
    if (e.kind == kind && e.portal_id == id) return &e;
  return nullptr;
}

SyncReport journal_run(World& w) {  // portalsync sync --once --journal with nothing journaled
  auto e = w.engine();
  auto r = e.sync_journal();
  REQUIRE(r);
  return std::move(r.value());
}

}  // namespace

TEST_CASE("a skipped operation stays in scope and the next journal run sends it",
          "[quarantine][scoped]") {
  World w;
  w.store.portal = tainan();
  w.options.run_idle_rule = false;
  w.sync();
  w.store.portal.units.push_back(unit(5, 2, "A01-2", "新科"));
  w.store.portal.accounts.push_back(account(13, "hsu.new", "許新", 5));
  w.dir.fail_dns.insert("ou=新科," + kCivilDn);
  auto first = w.sync();
  CHECK(first.applied.failed == 1);
  CHECK(first.applied.skipped >= 1);
  const auto* skipped = tracked(w, ObjectKind::account, 13);
  REQUIRE(skipped);
  CHECK(skipped->failures == 0);  // pending, not failing
  CHECK_FALSE(skipped->quarantined);
  CHECK(tracked(w, ObjectKind::org_unit, 5));

  w.dir.fail_dns.clear();
  auto next = journal_run(w);  // the journal is empty: only the retries put them in scope
  CHECK(next.applied.failed == 0);
  CHECK(w.dir.get("uid=hsu.new,ou=新科," + kCivilDn));
  CHECK(w.store.quarantine.empty());
}

TEST_CASE("an operation the guard held stays in scope, journal runs send it once approved",
          "[quarantine][scoped][guard]") {
  World w;
  w.store.portal = tainan();
  w.options.run_idle_rule = false;
  w.options.guard.max_disables = 0;  // any disable trips the guard
  w.sync();
  w.store.portal.accounts[1].set_status("disabled");
  auto held = w.sync();
  REQUIRE(held.held());
  REQUIRE(tracked(w, ObjectKind::account, 11));
  CHECK(tracked(w, ObjectKind::account, 11)->failures == 0);

  auto still = journal_run(w);  // planned again, the same set: held under the same hold
  CHECK(still.held());
  CHECK(still.hold_id == held.hold_id);
  CHECK(still.scope > 0);

  w.store.holds[0].state = HoldState::approved;
  auto sent = journal_run(w);
  REQUIRE(sent.approved_hold);
  CHECK(sent.applied.applied == 1);
  CHECK(w.store.quarantine.empty());
}

TEST_CASE("a released quarantine is planned by the next journal run", "[quarantine][scoped]") {
  World w;
  w.options.quarantine.after = 1;
  w.options.run_idle_rule = false;
  w.store.portal = tainan();
  w.sync();
  auto dn = "uid=chen.yating," + kHouseholdDn;
  w.dir.fail_dns.insert(dn);
  w.store.portal.accounts[0].set_title("科長");
  w.sync();
  REQUIRE(tracked(w, ObjectKind::account, 10));
  REQUIRE(tracked(w, ObjectKind::account, 10)->quarantined);
  w.dir.fail_dns.clear();
  auto quiet = journal_run(w);  // quarantined: out of scope
  CHECK(quiet.applied.applied == 0);
  // What `portalsync quarantine release account 10` leaves: tracked, pending.
  w.store.quarantine[0].quarantined = false;
  w.store.quarantine[0].failures = 0;
  auto sent = journal_run(w);
  CHECK(sent.applied.applied == 1);
  CHECK(w.dir.value(dn, "title") == "科長");
  CHECK(w.store.quarantine.empty());
}
