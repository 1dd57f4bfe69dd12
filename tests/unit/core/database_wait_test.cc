// How portalsyncd waits for a portal database it cannot use: a database that does not answer is
// tried again soon, backing off to a minute; one that refuses (a person must act) slowly.
#include <catch2/catch.hpp>

#include "core/database_wait.h"

using namespace ps;
using namespace std::chrono;

TEST_CASE("a database that does not answer is retried from 1 s, doubling to 60 s", "[database]") {
  DatabaseWait wait;
  CHECK(wait.state == DatabaseState::connecting);
  std::vector<long long> delays;
  for (int i = 0; i < 9; ++i) {
    wait.failed(StatusCode::unavailable, "portal database x: down");
    delays.push_back(wait.next_delay(1.0).count());
  }
  CHECK(delays ==
        std::vector<long long>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000});
  CHECK(wait.state == DatabaseState::unavailable);
  CHECK(wait.attempts == 9);
  CHECK(to_string(wait.state) == "unavailable");
  // Jitter spreads each wait over its second half, so daemons restarted together drift apart.
  CHECK(wait.next_delay(0.0) == seconds(30));
}

TEST_CASE("a database that refuses is retried slowly and shown as refused", "[database]") {
  DatabaseWait wait;
  wait.failed(StatusCode::refused, "password authentication failed");
  CHECK(wait.next_delay(1.0) == seconds(30));
  CHECK(wait.state == DatabaseState::refused);
  for (int i = 0; i < 6; ++i) wait.failed(StatusCode::refused, "still refused");
  CHECK(wait.next_delay(1.0) == minutes(5));
  // It answered after all: the failures are forgotten, the next outage starts over at 1 s.
  wait.answered();
  CHECK(wait.state == DatabaseState::available);
  CHECK(wait.attempts == 0);
  CHECK(wait.last_error.empty());
  wait.failed(StatusCode::unavailable, "down");
  CHECK(wait.next_delay(1.0) == seconds(1));
}

TEST_CASE("every database state has its own name", "[database]") {
  CHECK(to_string(DatabaseState::connecting) == "connecting");
  CHECK(to_string(DatabaseState::available) == "available");
  CHECK(to_string(DatabaseState::unavailable) == "unavailable");
  CHECK(to_string(DatabaseState::refused) == "refused");
}
