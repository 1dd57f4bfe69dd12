// The idempotency records' retention: RequestLog::prune removes records older than the retention
// and keeps recent ones, which still answer a replay; RecordPruner does it at start and then once
// per interval on the event loop, in slices. A temp SQLite file, no servers.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <vector>

#include "daemon/apihost/record_pruner.h"
#include "daemon/apihost/request_log.h"
#include "tests/support/sqlite_file.h"
#include "tests/support/temp_dir.h"

using namespace ps;
using namespace ps::apihost;
using ps::testing::sqlite_exec;
using ps::testing::TempDir;

namespace {

struct Records {
  TempDir dir{"ps-apihost-records"};
  std::string path = dir.file("requests.db");
  std::unique_ptr<RequestLog> log = open();

  std::unique_ptr<RequestLog> open() const {
    auto opened = RequestLog::open(path);
    REQUIRE(opened);
    return std::move(opened.value());
  }
  void applied(const std::string& key) const {
    RequestRecord r{
        key, "portal-sync (CN=app)", "add CN=" + key + ",OU=p", RecordResult::pending, "", "", ""};
    REQUIRE(log->begin({r}));
    r.result = RecordResult::applied;
    REQUIRE(log->finish({r}));
  }
  void pending(const std::string& key) const {
    REQUIRE(
        log->begin({{key, "portal-sync", "modify CN=" + key, RecordResult::pending, "", "", ""}}));
  }
  // Backdates a record, as if it had been written `days` days ago.
  void age(const std::string& key, int days) const {
    sqlite_exec(path,
                "UPDATE ps_apihost_requests SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-" +
                    std::to_string(days) + " days') WHERE key = '" + key + "'");
  }
  bool has(const std::string& key) const {
    auto found = log->find(key);
    REQUIRE(found);
    return found->has_value();
  }
};

// Runs the loop until `done` holds (or 5 s have passed, for a failing test to end).
template <class Done>
void run_until(boost::asio::io_context& loop, Done done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    loop.run_for(std::chrono::milliseconds(5));
}

struct CapturedLog : Logger {
  std::vector<std::string> lines;
  void log(LogLevel, std::string_view message) override { lines.emplace_back(message); }
};

}  // namespace

TEST_CASE("apihost records: pruning removes old records, recent ones still answer a replay",
          "[apihost][records]") {
  Records records;
  records.applied("old-applied");
  records.pending("old-pending");
  records.applied("recent");
  records.applied("fresh");
  records.age("old-applied", 45);
  records.age("old-pending", 31);
  records.age("recent", 29);

  auto removed = records.log->prune(30, 100);
  REQUIRE(removed);
  CHECK(removed.value() == 2);
  CHECK_FALSE(records.has("old-applied"));
  CHECK_FALSE(records.has("old-pending"));
  auto recent = records.log->find("recent");
  REQUIRE(recent);
  REQUIRE(recent->has_value());
  CHECK(recent->value().result == RecordResult::applied);  // a replay of it: already_applied
  CHECK(records.has("fresh"));
  CHECK(records.log->prune(30, 100).value() == 0);
}

TEST_CASE("apihost records: a prune deletes at most one slice", "[apihost][records]") {
  Records records;
  for (int i = 0; i < 5; ++i) {
    records.applied("k" + std::to_string(i));
    records.age("k" + std::to_string(i), 60);
  }
  CHECK(records.log->prune(30, 2).value() == 2);
  CHECK(records.log->prune(30, 2).value() == 2);
  CHECK(records.log->prune(30, 2).value() == 1);
  CHECK(records.log->prune(30, 2).value() == 0);
}

TEST_CASE("apihost records: the pruner sweeps at start and again each interval, in slices",
          "[apihost][records]") {
  Records records;
  const std::size_t many = RecordPruner::kSlice * 2 + 7;  // three slices
  std::vector<RequestRecord> batch;
  for (std::size_t i = 0; i < many; ++i)
    batch.push_back(
        {"bulk-" + std::to_string(i), "c", "unlock CN=x", RecordResult::applied, "", "", ""});
  REQUIRE(records.log->begin(batch));
  records.applied("kept");
  sqlite_exec(records.path,
              "UPDATE ps_apihost_requests SET at = '2001-01-01T00:00:00Z' WHERE key LIKE 'bulk-%'");
  boost::asio::io_context loop;
  CapturedLog log;
  RecordPruner pruner(loop, records.open(), 30, log, std::chrono::milliseconds(100));
  pruner.start();
  run_until(loop, [&] { return !log.lines.empty(); });
  CHECK_FALSE(records.has("bulk-0"));
  CHECK_FALSE(records.has("bulk-" + std::to_string(many - 1)));
  CHECK(records.has("kept"));
  REQUIRE(log.lines.size() == 1);
  CHECK(log.lines[0] ==
        "apihost: pruned " + std::to_string(many) + " idempotency records older than 30 days");

  records.age("kept", 31);  // grows old; the next sweep (one interval on) takes it
  run_until(loop, [&] { return !records.has("kept"); });
  CHECK_FALSE(records.has("kept"));

  pruner.stop();
  loop.restart();
  auto start = std::chrono::steady_clock::now();
  loop.run();  // nothing left waiting: returns at once
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(100));
}

TEST_CASE("apihost records: retain_days 0 keeps every record", "[apihost][records]") {
  Records records;
  records.applied("ancient");
  records.age("ancient", 3650);
  boost::asio::io_context loop;
  CapturedLog log;
  RecordPruner pruner(loop, records.open(), 0, log, std::chrono::milliseconds(20));
  pruner.start();
  loop.run_for(std::chrono::milliseconds(80));
  CHECK(records.has("ancient"));
  CHECK(log.lines.empty());
}
