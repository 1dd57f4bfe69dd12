// The daemon section: defaults, values, and each kind of mistake named with its line.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;
using Catch::Contains;

TEST_CASE("daemon settings default to a 1 s journal poll and idle-disable at 02:00 Taipei",
          "[config][daemon]") {
  ConfigFiles f;
  auto c = f.load(kMinimal);
  REQUIRE(c);
  CHECK(c->daemon.poll_interval_ms == 1000);
  CHECK(c->daemon.listen_poll_interval_ms == 5000);
  CHECK(c->daemon.idle_disable_minutes == 120);
  CHECK(c->daemon.timezone == "Asia/Taipei");
  CHECK(c->daemon.retry_initial_seconds == 1);
  CHECK(c->daemon.retry_max_seconds == 300);
}

TEST_CASE("daemon settings are read and checked", "[config][daemon]") {
  ConfigFiles f;
  auto ok = f.load(kMinimal +
                   "daemon:\n  poll_interval_ms: 250\n  idle_disable_at: \"23:45\"\n"
                   "  timezone: UTC\n  retry_initial_seconds: 2\n  retry_max_seconds: 60\n"
                   "  listen_poll_interval_ms: 30000\n");
  REQUIRE(ok);
  CHECK(ok->daemon.poll_interval_ms == 250);
  CHECK(ok->daemon.listen_poll_interval_ms == 30000);
  CHECK(ok->daemon.idle_disable_minutes == 23 * 60 + 45);
  CHECK(ok->daemon.timezone == "UTC");

  auto bad = f.load(kMinimal +
                    "daemon:\n  poll_interval_ms: 10\n  idle_disable_at: \"25:00\"\n"
                    "  timezone: Mars/Olympus\n  retry_initial_seconds: 30\n"
                    "  retry_max_seconds: 5\n  poll_interval: 3\n  listen_poll_interval_ms: 0\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("daemon.poll_interval_ms: must be between 50 and 60000"));
  CHECK_THAT(bad.error(),
             Contains("daemon.listen_poll_interval_ms: must be between 50 and 600000"));
  CHECK_THAT(bad.error(), Contains("daemon.idle_disable_at: must be a time of day HH:MM"));
  CHECK_THAT(bad.error(), Contains("\"Mars/Olympus\" is not a time zone"));
  CHECK_THAT(bad.error(), Contains("daemon.retry_max_seconds: must not be below"));
  CHECK_THAT(bad.error(), Contains("poll_interval"));
}

TEST_CASE("admin settings: tokens are names and SHA-256 hashes, never tokens", "[config][admin]") {
  ConfigFiles f;
  auto defaults = f.load(kMinimal);
  REQUIRE(defaults);
  CHECK(defaults->admin.enabled);
  CHECK(defaults->admin.listen == "127.0.0.1:8650");
  CHECK(defaults->admin.tokens.empty());

  const std::string hash(64, 'a');
  auto ok = f.load(kMinimal +
                   "admin:\n  listen: \"127.0.0.1:9000\"\n  tokens:\n    - name: ops\n"
                   "      sha256: " +
                   hash + "\n");
  REQUIRE(ok);
  REQUIRE(ok->admin.tokens.size() == 1);
  CHECK(ok->admin.tokens[0].name == "ops");

  auto bad = f.load(kMinimal +
                    "admin:\n  tls_cert: a.pem\n  tokens:\n    - name: ops\n"
                    "      sha256: the-token-itself\n    - name: ops\n      sha256: " +
                    hash + "\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("admin.tokens[0].sha256: must be the SHA-256"));
  CHECK_THAT(bad.error(), Contains("admin.tokens[1].name: \"ops\" is used twice"));
  CHECK_THAT(bad.error(), Contains("tls_cert and tls_key go together"));

  // The change log's own actors: a token named like one would pass for it in every record.
  for (auto name : {"portal", "portalsyncd", "rule:idle", "cli:root", "ops chen"}) {
    auto impostor = f.load(kMinimal + "admin:\n  tokens:\n    - name: \"" + name +
                           "\"\n      sha256: " + hash + "\n");
    INFO(name);
    REQUIRE_FALSE(impostor);
    CHECK_THAT(impostor.error(), Contains("admin.tokens[0].name:"));
  }
}
