// The engine with its rules: due reserved changes reach the portal and then the directory in the
// same run; the mass-change guard holds a wipe until approved.
#include <catch2/catch.hpp>

#include "core/engine.h"
#include "memory_directory.h"

using namespace ps;
using ps::testing::MemoryDirectory;
using ps::testing::MemoryStore;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";

struct World {
  MemoryDirectory dir{kBase};
  MemoryStore store;
  FixedClock clock{parse_timestamp("2026-11-25T00:00:00Z").value()};
  NullLogger log;
  EngineOptions options;

  World(int accounts) {
    options.mapping.base_dn = kBase;
    store.portal.units = {{1, std::nullopt, "A00", "臺南市政府", true},
                          {2, 1, "A01", "民政局", true},
                          {3, 1, "A02", "教育局", true}};
    for (int i = 1; i <= accounts; ++i) {
      Account a;
      a.id = i;
      a.set_username("user" + std::to_string(i));
      a.set_display_name("使用者" + std::to_string(i));
      a.org_unit_id = 2;
      a.set_status("enabled");
      a.set_last_login_at("2026-11-20T00:00:00Z");
      store.portal.accounts.push_back(a);
    }
  }
  SyncReport sync() {
    SyncEngine engine(store, dir, clock, log, options);
    auto r = engine.sync();
    REQUIRE(r);
    return std::move(r.value());
  }
};

}  // namespace

TEST_CASE("a due transfer is written to the portal, then the directory follows in the same run",
          "[engine][lifecycle]") {
  World w(3);
  w.sync();
  ScheduledChange c;
  c.account_id = 1;
  c.kind = "transfer";
  c.target_org_unit_id = 3;
  c.reason = "機關異動";
  c.effective_at = "2026-11-30T00:00:00+08:00";
  c.requested_by = "admin";
  std::vector<ScheduledChange> rows{c};
  w.store.add_scheduled_changes(rows);

  auto early = w.sync();
  CHECK(early.decisions.empty());
  CHECK(w.dir.get("uid=user1,ou=民政局,ou=臺南市政府," + kBase));

  w.clock.set(parse_timestamp("2026-11-29T16:00:00Z").value());
  auto report = w.sync();
  REQUIRE(report.decisions.size() == 1);
  CHECK(report.decisions[0].state == ChangeState::done);
  CHECK(w.store.scheduled[0].state == ChangeState::done);
  CHECK(w.store.portal.accounts[0].org_unit_id == 3);
  CHECK(w.dir.get("uid=user1,ou=教育局,ou=臺南市政府," + kBase));
  CHECK(report.plan.count(OpType::move) == 1);

  auto again = w.sync();  // executed at most once
  CHECK(again.decisions.empty());
  CHECK(again.plan.operations.empty());
}

TEST_CASE("emptying the accounts table trips the guard and the directory stays intact",
          "[engine][guard]") {
  World w(40);
  w.sync();
  auto all = w.store.portal.accounts;
  w.store.portal.accounts.clear();
  auto held = w.sync();
  CHECK(held.held());
  CHECK_FALSE(held.complete());
  CHECK(held.applied.held == 40);
  CHECK(w.dir.read_subtree({kBase, {}})->entries.size() == 43);
  REQUIRE(w.store.holds.size() == 1);
  CHECK(w.store.holds[0].destructive == 40);

  auto again = w.sync();  // the same set is held under the same id
  CHECK(again.hold_id == held.hold_id);
  CHECK(w.store.holds.size() == 1);

  w.store.holds[0].state = HoldState::approved;
  w.store.holds[0].approved_by = "cli:root";
  auto released = w.sync();
  CHECK_FALSE(released.held());
  CHECK(released.applied.applied == 40);
  CHECK(w.store.holds[0].state == HoldState::released);
  CHECK(w.dir.read_subtree({kBase, {}})->entries.size() == 3);
}

TEST_CASE("an approval expires when the portal changes further", "[engine][guard]") {
  World w(40);
  w.sync();
  w.store.portal.accounts.resize(10);
  auto held = w.sync();
  REQUIRE(held.held());
  w.store.holds[0].state = HoldState::approved;
  w.store.portal.accounts.resize(5);  // a different set of deletions now
  auto next = w.sync();
  CHECK(next.held());
  CHECK(w.store.holds[0].state == HoldState::expired);
  CHECK(w.store.holds.size() == 2);
}

TEST_CASE("a small change passes the guard untouched", "[engine][guard]") {
  World w(40);
  w.sync();
  w.store.portal.accounts[0].set_status("disabled");
  auto report = w.sync();
  CHECK_FALSE(report.held());
  CHECK(report.applied.applied == 1);
}

TEST_CASE("a run that does not trip the guard expires the approval, the same wipe later is held",
          "[engine][guard]") {
  World w(40);
  w.sync();
  auto all = w.store.portal.accounts;
  w.store.portal.accounts.resize(10);
  auto held = w.sync();
  REQUIRE(held.held());
  w.store.holds[0].state = HoldState::approved;
  w.store.holds[0].approved_by = "cli:root";
  w.store.portal.accounts = all;  // the portal is put back before the approval is used
  auto calm = w.sync();
  CHECK_FALSE(calm.guard.trips);
  CHECK(w.store.holds[0].state == HoldState::expired);
  w.store.portal.accounts.resize(10);  // the very same mass change again
  auto again = w.sync();
  CHECK(again.held());
  CHECK_FALSE(again.approved_hold);
  CHECK(again.applied.applied == 0);
  REQUIRE(w.store.holds.size() == 2);
  CHECK(w.store.holds[1].state == HoldState::held);
  CHECK(w.store.holds[1].fingerprint == w.store.holds[0].fingerprint);
  CHECK(w.dir.read_subtree({kBase, {}})->entries.size() == 43);
}

TEST_CASE("a released set names its approval, a rejected one stays held", "[engine][guard]") {
  World w(40);
  w.sync();
  auto all = w.store.portal.accounts;
  w.store.portal.accounts.resize(10);
  REQUIRE(w.sync().held());
  w.store.holds[0].state = HoldState::rejected;
  w.store.holds[0].approved_by = "ops";
  auto rejected = w.sync();
  CHECK(rejected.held());
  CHECK(rejected.hold_id == w.store.holds[0].id);
  CHECK(w.store.holds.size() == 1);
  CHECK(w.store.holds[0].state == HoldState::rejected);

  w.store.portal.accounts.resize(9);  // a different set: the rejection expires, a new hold
  auto next = w.sync();
  REQUIRE(next.held());
  CHECK(w.store.holds[0].state == HoldState::expired);
  REQUIRE(w.store.holds.size() == 2);
  w.store.holds[1].state = HoldState::approved;
  w.store.holds[1].approved_by = "ops";
  auto sent = w.sync();
  REQUIRE(sent.approved_hold);
  CHECK(sent.approved_hold->id == w.store.holds[1].id);
  CHECK(sent.approved_hold->approved_by == "ops");
  CHECK(sent.applied.applied == 31);
  CHECK(w.store.holds[1].state == HoldState::released);
  CHECK(summary_json(sent).find("\"approved_hold_id\":2") != std::string::npos);
}

TEST_CASE("reserved changes that cannot be understood fail at once, saying what to write",
          "[engine][lifecycle]") {
  World w(3);
  w.sync();
  std::vector<ScheduledChange> rows;
  for (auto [at, kind] : {std::pair{"2026-12-01 08:00", "disable"},
                          {"next monday", "disable"},
                          {"2026-02-30T08:00:00+08:00", "disable"},
                          {"2026-11-20T08:00:00+08:00", "freeze"}}) {
    ScheduledChange c;
    c.account_id = 1;
    c.kind = kind;
    c.reason = "typo";
    c.effective_at = at;
    rows.push_back(c);
  }
  ScheduledChange transfer;
  transfer.account_id = 2;
  transfer.kind = "transfer";
  transfer.target_org_unit_id = 99;
  transfer.effective_at = "2026-11-20T08:00:00+08:00";
  rows.push_back(transfer);
  w.store.add_scheduled_changes(rows);

  auto report = w.sync();
  REQUIRE(report.decisions.size() == 5);
  for (const auto& d : report.decisions) CHECK(d.state == ChangeState::failed);
  CHECK(report.reservations_refused() == 5);
  CHECK_FALSE(report.complete());
  for (int i = 0; i < 3; ++i) {
    CHECK(w.store.scheduled[i].state == ChangeState::failed);
    CHECK_THAT(w.store.scheduled[i].outcome, Catch::Contains("2026-12-01T08:00:00+08:00"));
  }
  CHECK_THAT(w.store.scheduled[3].outcome, Catch::Contains("kind \"freeze\""));
  CHECK_THAT(w.store.scheduled[4].outcome, Catch::Contains("target unit 99 does not exist"));
  CHECK(w.store.portal.accounts[0].status() == "enabled");
  CHECK(w.sync().decisions.empty());  // decided once
}
