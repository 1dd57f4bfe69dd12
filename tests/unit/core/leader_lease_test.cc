// Two nodes, one writer: the in-memory election (the port's contract) and the applier's fencing,
// which proves the lease before every batch of intents and sends nothing once it cannot.
#include <catch2/catch.hpp>

#include "core/apply.h"
#include "core/clock.h"
#include "core/leader_lease.h"
#include "memory_directory.h"

using namespace ps;
using ps::testing::MemoryDirectory;
using ps::testing::MemoryStore;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";

Plan ou_adds(int count) {
  Plan plan;
  for (int i = 0; i < count; ++i) {
    Operation op;
    op.type = OpType::add;
    op.kind = ObjectKind::org_unit;
    auto name = "u" + std::to_string(i);
    op.dn = join_dn(make_rdn("ou", name), kBase);
    op.subject = name;
    op.mods = {{Modification::Kind::add, "objectClass", {"organizationalUnit"}, {}},
               {Modification::Kind::add, "ou", {name}, {}}};
    plan.operations.push_back(op);
  }
  return plan;
}

// node-a holds the lease; the applier runs as `lease` says.
struct Fenced {
  MemoryDirectory memory{kBase};
  MemoryStore store;
  FixedClock clock{TimePoint{}};
  NullLogger log;
  InMemoryElection election;
  std::unique_ptr<LeaderLease> active = election.node("node-a");
  ApplyOptions options;
  Fenced() { REQUIRE(active->try_acquire()); }
};

}  // namespace

TEST_CASE("one node holds the lease at a time, and each acquisition gets a higher fence",
          "[lease]") {
  InMemoryElection election;
  auto a = election.node("node-a");
  auto b = election.node("node-b");
  CHECK(a->fence() == 0);
  REQUIRE(a->try_acquire());
  CHECK(a->fence() == 1);
  auto refused = b->try_acquire();
  CHECK(refused.code() == StatusCode::conflict);
  CHECK(b->still_held().code() == StatusCode::conflict);
  CHECK(b->active()->holder == "node-a");

  election.drop_holder();  // node-a's session is gone
  CHECK(a->still_held().code() == StatusCode::conflict);
  REQUIRE(b->try_acquire());
  CHECK(b->fence() == 2);
  CHECK(b->active()->holder == "node-b");
  CHECK(a->try_acquire().code() == StatusCode::conflict);  // the old holder cannot come back
  b.reset();                                               // a node that exits frees it
  REQUIRE(a->try_acquire());
  CHECK(a->fence() == 3);
}

TEST_CASE("a node that loses the lease mid-run sends nothing after the current batch",
          "[lease][apply]") {
  // The lease is lost once 10 operations have been sent, as when the node's database session is
  // terminated mid-run.
  struct LosingDirectory : DirectoryConnectorWrapper {
    InMemoryElection& election;
    std::size_t sent = 0;
    LosingDirectory(DirectoryConnector& d, InMemoryElection& e)
        : DirectoryConnectorWrapper(d), election(e) {}
    Status submit(std::uint64_t ticket, const Operation& op) override {
      if (++sent == 10) election.drop_holder();
      return DirectoryConnectorWrapper::submit(ticket, op);
    }
  };
  Fenced f;
  LosingDirectory dir(f.memory, f.election);
  f.options.window = 4;
  f.options.intent_batch = 16;
  f.options.lease = f.active.get();

  auto report = apply_plan(ou_adds(50), dir, f.store, f.clock, f.log, f.options);
  CHECK(report.fatal.code() == StatusCode::conflict);
  CHECK(report.fatal.message().find("no longer the active one") != std::string::npos);
  // The batches grow from one window: 4, 8, then 16. The lease went during the second, which is
  // sent to its end, and not one operation of the third.
  CHECK(dir.sent == 12);
  // The third batch's intents were written while the second was sent, before the lease was lost:
  // recorded as not sent.
  REQUIRE(f.store.log.size() == 28);
  for (std::size_t i = 12; i < 28; ++i) {
    CHECK(f.store.log[i].result == "skipped");
    CHECK(f.store.log[i].message.find("no longer the active one") != std::string::npos);
  }
}

TEST_CASE("without the lease proven, not even the first batch is sent", "[lease][apply]") {
  Fenced f;
  auto standby = f.election.node("node-b");
  f.options.lease = standby.get();
  auto report = apply_plan(ou_adds(3), f.memory, f.store, f.clock, f.log, f.options);
  CHECK(!report.fatal.is_ok());
  CHECK(report.applied == 0);
  CHECK(f.store.log.empty());
}
