// Who keeps a connection when the admin server is full: idle ones (no complete request head yet,
// or between requests) make room for new ones, the one idle longest first; busy ones never do.
// The same per client address. Only when nothing can make room is a connection refused.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "daemon/admin/connection_table.h"

using namespace ps::admin;

namespace {

struct FakeConnection : Connection {
  ConnectionTable* table = nullptr;
  bool aborted = false;
  bool sent = false;  // the client has sent something (a request head on its way)
  void abort() override { aborted = true; }
  bool client_has_sent() override { return sent; }
};

using Verdict = ConnectionTable::Verdict;
using Clock = Connection::Clock;

struct Fixture {
  ConnectionTable table;
  AdminLimits limits;
  std::vector<std::unique_ptr<FakeConnection>> connections;
  Clock::time_point now = Clock::now();

  // Accepts one from `address`, as the server does; nullptr when it is not served.
  FakeConnection* connect(const std::string& address, Verdict* verdict_out = nullptr) {
    auto verdict = table.admit(address, limits, now);
    if (verdict_out) *verdict_out = verdict;
    if (verdict == Verdict::drop) return nullptr;
    now += std::chrono::seconds(1);
    connections.push_back(std::make_unique<FakeConnection>());
    table.add(*connections.back(), address, verdict == Verdict::refuse, now);
    return verdict == Verdict::serve ? connections.back().get() : nullptr;
  }
};

}  // namespace

TEST_CASE("connection table: at the limit the connection idle longest makes room",
          "[admin][connections]") {
  Fixture f;
  f.limits.max_connections = 3;
  auto* a = f.connect("10.0.0.1");
  auto* b = f.connect("10.0.0.2");
  auto* c = f.connect("10.0.0.3");
  REQUIRE((a && b && c));
  f.table.set_idle(*a, false, f.now);  // a has sent a whole request: busy
  auto* d = f.connect("10.0.0.4");
  REQUIRE(d);
  CHECK_FALSE(a->aborted);
  CHECK(b->aborted);  // idle since before c
  CHECK_FALSE(c->aborted);
  CHECK(f.table.serving() == 3);
  CHECK(f.table.evicted_total() == 1);
  // The evicted one still has a socket until its handlers end; then it leaves the table.
  CHECK(f.table.open() == 4);
  f.table.remove(*b);
  CHECK(f.table.open() == 3);
  CHECK(f.table.serving() == 3);

  // A keep-alive connection idle again counts from when it became idle.
  f.now += std::chrono::seconds(10);
  f.table.set_idle(*a, true, f.now);
  auto* e = f.connect("10.0.0.5");
  REQUIRE(e);
  CHECK(c->aborted);
  CHECK_FALSE(a->aborted);
}

TEST_CASE("connection table: when every connection is busy, new ones are refused, then dropped",
          "[admin][connections]") {
  Fixture f;
  f.limits.max_connections = 2;
  for (int i = 0; i < 2; ++i) f.table.set_idle(*f.connect("10.0.0.1"), false, f.now);
  Verdict v;
  CHECK(f.connect("10.0.0.2", &v) == nullptr);
  CHECK(v == Verdict::refuse);
  CHECK(f.connect("10.0.0.2", &v) == nullptr);
  CHECK(v == Verdict::refuse);
  CHECK(f.table.refused_open() == 2);
  CHECK(f.connect("10.0.0.2", &v) == nullptr);
  CHECK(v == Verdict::drop);
  f.table.remove(*f.connections[2]);
  CHECK(f.table.refused_open() == 1);
  CHECK(f.connect("10.0.0.2", &v) == nullptr);
  CHECK(v == Verdict::refuse);
}

TEST_CASE("connection table: one address cannot take every connection", "[admin][connections]") {
  Fixture f;
  f.limits.max_connections = 10;
  f.limits.max_connections_per_address = 2;
  auto* x1 = f.connect("10.0.0.9");
  auto* x2 = f.connect("10.0.0.9");
  auto* other = f.connect("10.0.0.1");
  REQUIRE((x1 && x2 && other));
  // A third from the same address replaces that address's oldest idle one, not another's.
  auto* x3 = f.connect("10.0.0.9");
  REQUIRE(x3);
  CHECK(x1->aborted);
  CHECK_FALSE(other->aborted);
  f.table.set_idle(*x2, false, f.now);
  f.table.set_idle(*x3, false, f.now);
  Verdict v;
  CHECK(f.connect("10.0.0.9", &v) == nullptr);
  CHECK(v == Verdict::refuse);
  CHECK(f.connect("10.0.0.2") != nullptr);
}

TEST_CASE("connection table: a connection whose client sent nothing makes room first",
          "[admin][connections]") {
  Fixture f;
  f.limits.max_connections = 10;
  f.limits.max_connections_per_address = 2;
  auto* client = f.connect("127.0.0.1");
  auto* flood = f.connect("127.0.0.1");
  REQUIRE((client && flood));
  client->sent = true;  // idle longest, but its request head has arrived
  REQUIRE(f.connect("127.0.0.1"));
  CHECK_FALSE(client->aborted);
  CHECK(flood->aborted);
  // Every other one has sent something too: then the one idle longest goes, as before.
  f.connections.back()->sent = true;
  REQUIRE(f.connect("127.0.0.1"));
  CHECK(client->aborted);
}

TEST_CASE(
    "connection table: a connection younger than the grace is spared while an older one "
    "can go",
    "[admin][connections]") {
  ConnectionTable table;
  AdminLimits limits;
  limits.max_connections = 2;
  auto t = Clock::now();
  FakeConnection old_one, young;
  table.add(old_one, "127.0.0.1", false, t - std::chrono::seconds(10));
  table.set_idle(old_one, false, t - std::chrono::seconds(10));
  table.add(young, "127.0.0.1", false, t);
  table.set_idle(old_one, true, t + std::chrono::milliseconds(100));  // keep-alive, idle again
  // young is idle longer (since t), but connected less than the grace ago.
  CHECK(table.admit("127.0.0.1", limits, t + std::chrono::milliseconds(200)) ==
        ConnectionTable::Verdict::serve);
  CHECK(old_one.aborted);
  CHECK_FALSE(young.aborted);
  table.remove(old_one);
  FakeConnection newer;
  table.add(newer, "127.0.0.1", false, t + std::chrono::milliseconds(200));
  // Both young now: the one idle longest goes rather than refusing the new one.
  CHECK(table.admit("127.0.0.1", limits, t + std::chrono::milliseconds(220)) ==
        ConnectionTable::Verdict::serve);
  CHECK(young.aborted);
  CHECK_FALSE(newer.aborted);
  table.remove(young);
  table.remove(newer);
}
