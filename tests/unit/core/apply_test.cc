// The applier: window, dependencies, failures that stop only what depends on them, and a change log
// with an intent before every operation and no silent gaps.
#include <catch2/catch.hpp>

#include "core/apply.h"
#include "core/clock.h"
#include "memory_directory.h"

using namespace ps;
using ps::testing::MemoryDirectory;
using ps::testing::MemoryStore;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";

Operation add_ou(const std::string& name, const std::string& parent,
                 std::vector<std::size_t> deps = {}) {
  Operation op;
  op.type = OpType::add;
  op.kind = ObjectKind::org_unit;
  op.dn = join_dn(make_rdn("ou", name), parent);
  op.subject = name;
  op.mods = {{Modification::Kind::add, "objectClass", {"organizationalUnit"}, {}},
             {Modification::Kind::add, "ou", {name}, {}}};
  op.depends_on = std::move(deps);
  return op;
}

struct Fixture {
  MemoryDirectory dir{kBase};
  MemoryStore store;
  FixedClock clock{TimePoint{}};
  NullLogger log;
  ApplyOptions options;
  ApplyReport run(const Plan& plan) { return apply_plan(plan, dir, store, clock, log, options); }
};

}  // namespace

TEST_CASE("no more than the window of operations is outstanding", "[apply]") {
  Fixture f;
  f.options.window = 4;
  Plan plan;
  for (int i = 0; i < 50; ++i) plan.operations.push_back(add_ou("u" + std::to_string(i), kBase));
  auto report = f.run(plan);
  CHECK(report.applied == 50);
  CHECK(f.dir.max_outstanding <= 4);
}

TEST_CASE("a failed operation skips its dependants and nothing else", "[apply]") {
  Fixture f;
  f.options.intent_batch = 2;  // several intent batches
  Plan plan;
  plan.operations.push_back(add_ou("a", kBase));
  plan.operations.push_back(add_ou("b", join_dn("ou=a", kBase), {0}));
  plan.operations.push_back(add_ou("c", kBase));
  plan.operations.push_back(add_ou("d", join_dn("ou=b,ou=a", kBase), {1}));
  f.dir.fail_dns.insert(join_dn("ou=a", kBase));
  auto report = f.run(plan);
  CHECK(report.failed == 1);
  CHECK(report.skipped == 2);
  CHECK(report.applied == 1);
  CHECK(report.states[2] == OpState::applied);
  REQUIRE(f.store.log.size() == 4);
  CHECK(f.store.log[0].result == "failed");
  CHECK_THAT(f.store.log[0].message, Catch::Contains("injected failure"));
  CHECK_THAT(f.store.log[1].message, Catch::Contains("not attempted"));
  CHECK(f.store.log[2].result == "applied");
}

TEST_CASE("when the change log cannot be written nothing more is sent", "[apply]") {
  Fixture f;
  f.options.intent_batch = 3;
  f.store.fail_intents_after = 3;
  Plan plan;
  for (int i = 0; i < 10; ++i) plan.operations.push_back(add_ou("u" + std::to_string(i), kBase));
  auto report = f.run(plan);
  CHECK_FALSE(report.fatal.is_ok());
  CHECK(f.dir.operations_sent == 3);
  for (const auto& r : f.store.log) CHECK(r.result != "pending");
}

TEST_CASE("records left pending by a crashed run are marked unknown by the next", "[apply]") {
  MemoryStore store;
  ChangeRecord r;
  r.run_id = 1;
  std::vector<ChangeRecord> records{r, r};
  store.record_intents(records);
  auto marked = store.mark_interrupted(2, "outcome unknown");
  REQUIRE(marked);
  CHECK(marked.value() == 2);
  CHECK(store.log[0].result == "unknown");
}

TEST_CASE("change-log records carry before and after values, national IDs masked", "[apply]") {
  Operation op;
  op.type = OpType::modify;
  op.dn = "uid=a," + kBase;
  op.mods = {{Modification::Kind::replace, "displayName", {"新"}, {"舊"}},
             {Modification::Kind::replace, "employeeNumber", {"L224012345"}, {"A123456789"}}};
  ApplyOptions o;
  o.masked_attribute = "employeeNumber";
  auto rec = change_record_for(op, o, "2026-11-25T00:00:00Z");
  CHECK(rec.before_json == R"({"displayName":["舊"],"employeeNumber":["A1234*****"]})");
  CHECK(rec.after_json == R"({"displayName":["新"],"employeeNumber":["L2240*****"]})");
}

TEST_CASE("a stop request sends nothing more and waits for what is in flight", "[apply]") {
  // Requests the stop once 10 operations have been sent, as SIGTERM would mid-run.
  struct StoppingDirectory : DirectoryConnectorWrapper {
    std::atomic<bool>& stop;
    std::size_t sent = 0;
    StoppingDirectory(DirectoryConnector& d, std::atomic<bool>& s)
        : DirectoryConnectorWrapper(d), stop(s) {}
    Status submit(std::uint64_t ticket, const Operation& op) override {
      if (++sent == 10) stop = true;
      return DirectoryConnectorWrapper::submit(ticket, op);
    }
  };
  Fixture f;
  std::atomic<bool> stop{false};
  StoppingDirectory dir(f.dir, stop);
  f.options.window = 4;
  f.options.stop_requested = &stop;
  Plan plan;
  for (int i = 0; i < 50; ++i) plan.operations.push_back(add_ou("u" + std::to_string(i), kBase));
  auto report = apply_plan(plan, dir, f.store, f.clock, f.log, f.options);
  CHECK(report.stopped);
  CHECK(report.fatal.is_ok());
  CHECK(report.applied == 10);
  CHECK(report.unknown == 0);
  for (const auto& r : f.store.log) CHECK(r.result != "pending");
}

// Records the order operations are sent in, and asks for a stop after `stop_after` of them.
struct RecordingDirectory : DirectoryConnectorWrapper {
  std::vector<std::uint64_t> sent;
  std::atomic<bool>* stop = nullptr;
  std::size_t stop_after = 0;
  explicit RecordingDirectory(DirectoryConnector& d) : DirectoryConnectorWrapper(d) {}
  Status submit(std::uint64_t ticket, const Operation& op) override {
    sent.push_back(ticket);
    if (stop && sent.size() == stop_after) *stop = true;
    return DirectoryConnectorWrapper::submit(ticket, op);
  }
};

std::size_t position(const std::vector<std::uint64_t>& sent, std::uint64_t ticket) {
  return static_cast<std::size_t>(std::find(sent.begin(), sent.end(), ticket) - sent.begin());
}

TEST_CASE("an operation waiting for its prerequisite does not hold back the ones after it",
          "[apply]") {
  Fixture f;
  RecordingDirectory dir(f.dir);
  f.options.window = 4;
  Plan plan;
  plan.operations.push_back(add_ou("a", kBase));
  plan.operations.push_back(add_ou("b", join_dn("ou=a", kBase), {0}));
  for (int i = 0; i < 6; ++i) plan.operations.push_back(add_ou("c" + std::to_string(i), kBase));
  auto report = apply_plan(plan, dir, f.store, f.clock, f.log, f.options);
  CHECK(report.applied == 8);
  REQUIRE(dir.sent.size() == 8);
  // With the old in-order sending, ou=b waited for ou=a with nothing else outstanding.
  CHECK(position(dir.sent, 2) < position(dir.sent, 1));
  CHECK(position(dir.sent, 0) < position(dir.sent, 1));  // never before its prerequisite
  CHECK(f.dir.max_outstanding == 4);
  CHECK(f.dir.get(join_dn("ou=b,ou=a", kBase)) != nullptr);
  for (const auto& r : f.store.log) CHECK(r.result == "applied");
}

TEST_CASE("a stop with operations set aside records them as not sent", "[apply]") {
  Fixture f;
  RecordingDirectory dir(f.dir);
  std::atomic<bool> stop{false};
  dir.stop = &stop;
  dir.stop_after = 3;
  f.options.window = 4;
  f.options.stop_requested = &stop;
  Plan plan;
  plan.operations.push_back(add_ou("a", kBase));
  plan.operations.push_back(add_ou("b", join_dn("ou=a", kBase), {0}));
  for (int i = 0; i < 6; ++i) plan.operations.push_back(add_ou("c" + std::to_string(i), kBase));
  auto report = apply_plan(plan, dir, f.store, f.clock, f.log, f.options);
  CHECK(report.stopped);
  CHECK(report.applied == 3);  // ou=a and the two sent after it
  CHECK(report.states[1] == OpState::skipped);
  CHECK(report.errors[1] == "not sent: portalsync is stopping");
  for (const auto& r : f.store.log) CHECK(r.result != "pending");
}

TEST_CASE("operations that wait on each other end the run with an error, not a hang", "[apply]") {
  Fixture f;
  Plan plan;
  plan.operations.push_back(add_ou("a", kBase, {1}));  // a planner bug: a later prerequisite
  plan.operations.push_back(add_ou("b", kBase, {0}));
  auto report = f.run(plan);
  CHECK_FALSE(report.fatal.is_ok());
  CHECK_THAT(report.fatal.message(), Catch::Contains("wait on each other"));
  CHECK(f.dir.operations_sent == 0);
  for (const auto& r : f.store.log) CHECK(r.result == "skipped");
}

TEST_CASE("every answered operation lands in the latency histogram", "[apply]") {
  Fixture f;
  Plan plan;
  for (int i = 0; i < 20; ++i) plan.operations.push_back(add_ou("h" + std::to_string(i), kBase));
  auto report = f.run(plan);
  CHECK(report.latency.count == 20);
  std::uint64_t in_buckets = 0;
  for (auto c : report.latency.counts) in_buckets += c;
  CHECK(in_buckets == 20);  // an in-memory directory answers well within 10 s
  CHECK(report.latency.sum >= 0);

  LatencyHistogram h;
  h.observe(0.003);
  h.observe(0.2);
  h.observe(60);
  CHECK(h.counts[2] == 1);  // <= 0.005
  CHECK(h.counts[7] == 1);  // <= 0.25
  CHECK(h.count == 3);      // 60 s counts, in +Inf only
}
