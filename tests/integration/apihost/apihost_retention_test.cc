// idempotency.retain_days on the real portalsync-apihost: at start it prunes records older than
// the retention (30 days by default); a recent key still answers a replay with already_applied.
#include <catch2/catch.hpp>

#include "apihost_world.h"
#include "tests/support/sqlite_file.h"

using namespace ps::testing;
using namespace apihost_test;
using Catch::Contains;

namespace {

void backdate(const ApiHost& host, const std::string& key, int days) {
  sqlite_exec(host.requests_db(),
              "UPDATE ps_apihost_requests SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-" +
                  std::to_string(days) + " days') WHERE key = '" + key + "'");
}

std::string records_with(const ApiHost& host, const std::string& key) {
  return sqlite_query_one(host.requests_db(),
                          "SELECT COUNT(*) FROM ps_apihost_requests WHERE key = '" + key + "'");
}

}  // namespace

TEST_CASE(
    "api host: records older than retain_days are pruned at start, a recent replay still "
    "answers already_applied",
    "[apihost][retention]") {
  ApiHost host("apihost-retention");
  auto old_batch = add_ou_batch("ret-old", "OU=ret-old," + host.base);
  auto recent_batch = add_ou_batch("ret-recent", "OU=ret-recent," + host.base);
  for (const auto* batch : {&old_batch, &recent_batch})
    REQUIRE_THAT(host.curl("POST", "/v1/batch", *batch, host.full_auth()).out,
                 Contains(R"("status":"applied")"));

  host.kill_hard();
  backdate(host, "ret-old", 31);
  backdate(host, "ret-recent", 29);
  auto before = host.log_size();
  host.start();
  auto pruned = host.wait_for_log({"idempotency records older than"}, before);
  CHECK_THAT(pruned, Contains("apihost: pruned 1 idempotency records older than 30 days"));
  CHECK(records_with(host, "ret-old") == "0");
  CHECK(records_with(host, "ret-recent") == "1");

  auto replay = host.curl("POST", "/v1/batch", recent_batch, host.full_auth());
  CHECK_THAT(replay.out, Contains(R"("status":"already_applied")"));
  CHECK(host.count("(ou=ret-recent)") == 1);
}
