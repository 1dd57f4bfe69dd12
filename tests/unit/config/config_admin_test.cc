// The admin section as docs/admin-api.md shows it: the limits block loads, every limit is
// settable, the old flat keys still load with a warning, and plain HTTP off loopback is refused.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps::testing;
using Catch::Contains;

namespace {

std::string warnings_of(const ps::Config& c) {
  std::string all;
  for (const auto& w : c.warnings) all += w + "\n";
  return all;
}

}  // namespace

TEST_CASE("admin.limits: the documented block loads and every limit is settable",
          "[config][admin]") {
  ConfigFiles f;
  auto defaults = f.load(kMinimal);
  REQUIRE(defaults);
  const auto& d = defaults->admin.limits;
  CHECK(d.max_header_bytes == 8192);
  CHECK(d.max_body_bytes == 65536);
  CHECK(d.header_timeout_seconds == 3);
  CHECK(d.request_timeout_seconds == 10);
  CHECK(d.idle_timeout_seconds == 30);
  CHECK(d.max_connections == 32);
  CHECK(d.max_connections_per_address == 16);

  auto set = f.load(kMinimal +
                    "admin:\n"
                    "  limits:\n"
                    "    max_header_bytes: 4096\n"
                    "    max_body_bytes: 2048\n"
                    "    header_timeout_seconds: 2\n"
                    "    request_timeout_seconds: 20\n"
                    "    idle_timeout_seconds: 15\n"
                    "    max_connections: 64\n"
                    "    max_connections_per_address: 8\n");
  INFO((set ? "" : set.error()));
  REQUIRE(set);
  const auto& l = set->admin.limits;
  CHECK(l.max_header_bytes == 4096);
  CHECK(l.max_body_bytes == 2048);
  CHECK(l.header_timeout_seconds == 2);
  CHECK(l.request_timeout_seconds == 20);
  CHECK(l.idle_timeout_seconds == 15);
  CHECK(l.max_connections == 64);
  CHECK(l.max_connections_per_address == 8);
  CHECK(set->warnings.empty());

  auto bad =
      f.load(kMinimal + "admin:\n  limits:\n    max_conections: 5\n    idle_timeout_seconds: 0\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("admin.limits.max_conections: unknown key"));
  CHECK_THAT(bad.error(), Contains("admin.limits.idle_timeout_seconds"));
}

TEST_CASE("admin: the flat limit keys of earlier versions load, with a deprecation warning",
          "[config][admin]") {
  ConfigFiles f;
  auto old = f.load(kMinimal + "admin:\n  max_connections: 5\n  request_timeout_seconds: 7\n");
  INFO((old ? "" : old.error()));
  REQUIRE(old);
  CHECK(old->admin.limits.max_connections == 5);
  CHECK(old->admin.limits.request_timeout_seconds == 7);
  CHECK_THAT(warnings_of(old.value()),
             Contains(f.at(9) + "admin.max_connections is deprecated: move it to "
                                "admin.limits.max_connections"));
  auto both =
      f.load(kMinimal + "admin:\n  max_connections: 5\n  limits:\n    max_connections: 6\n");
  REQUIRE_FALSE(both);
  CHECK_THAT(both.error(), Contains("admin.max_connections: is also set as admin.limits"));
}

TEST_CASE("admin: plain HTTP on a non-loopback address is refused unless allowed explicitly",
          "[config][admin]") {
  ConfigFiles f;
  for (const char* listen :
       {"0.0.0.0:8650", "192.0.2.10:8650", "[::]:8650", "[2001:db8::1]:8650"}) {
    auto bad = f.load(kMinimal + "admin:\n  listen: \"" + listen + "\"\n");
    INFO(listen);
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error(), Contains(f.at(9) + "admin.listen: " + listen +
                                     " is not a loopback address and TLS is off"));
  }
  for (const char* listen : {"127.0.0.1:8650", "127.0.0.2:0", "[::1]:8650"}) {
    INFO(listen);
    CHECK(f.load(kMinimal + "admin:\n  listen: \"" + listen + "\"\n"));
  }
  // Disabled, it listens nowhere.
  CHECK(f.load(kMinimal + "admin:\n  enabled: false\n  listen: \"0.0.0.0:8650\"\n"));

  auto insecure =
      f.load(kMinimal + "admin:\n  listen: \"0.0.0.0:8650\"\n  allow_insecure_listen: true\n");
  REQUIRE(insecure);
  CHECK(insecure->admin.allow_insecure_listen);
  CHECK_THAT(warnings_of(insecure.value()),
             Contains(f.at(10) + "admin.allow_insecure_listen: the admin API listens on "
                                 "0.0.0.0:8650 over plain HTTP"));
}

TEST_CASE("admin.tokens: roles and units, a token without a role acts as admin with a warning",
          "[config][admin]") {
  ConfigFiles f;
  const std::string hash = "sha256: " + std::string(64, 'a');
  const std::string hash2 = "sha256: " + std::string(64, 'b');
  auto ok = f.load(
      kMinimal + "admin:\n  tokens:\n    - name: scraper\n      role: monitor\n      " + hash +
      "\n    - name: agency-a01\n      role: account_admin\n      units: [A01]\n      " + hash2 +
      "\n");
  INFO((ok ? "" : ok.error()));
  REQUIRE(ok);
  CHECK(ok->admin.tokens[0].role == ps::TokenRole::monitor);
  CHECK(ok->admin.tokens[0].scope.units.empty());
  CHECK(ok->admin.tokens[1].role == ps::TokenRole::account_admin);
  CHECK(ok->admin.tokens[1].scope.units == std::vector<std::string>{"A01"});
  CHECK(warnings_of(ok.value()).find("has no role") == std::string::npos);

  auto old = f.load(kMinimal + "admin:\n  tokens:\n    - name: ops\n      " + hash + "\n");
  REQUIRE(old);
  CHECK_FALSE(old->admin.tokens[0].role);
  CHECK_THAT(warnings_of(old.value()),
             Contains(f.at(10) + "admin.tokens[0] (ops) has no role and acts as admin"));

  auto bad =
      f.load(kMinimal + "admin:\n  tokens:\n    - name: ops\n      role: root\n      " + hash +
             "\n    - name: ag\n      role: admin\n      units: []\n      " + hash2 + "\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("admin.tokens[0].role: \"root\" is not a role (monitor, "
                                   "auditor, operator, account_admin, person_lookup, admin)"));
  CHECK_THAT(bad.error(), Contains("admin.tokens[1].units: must list at least one unit code"));
}

TEST_CASE("admin.tokens: agencies with or without their subagencies", "[config][admin]") {
  ConfigFiles f;
  const std::string hash = "sha256: " + std::string(64, 'a');
  const std::string hash2 = "sha256: " + std::string(64, 'b');
  auto ok = f.load(kMinimal + "admin:\n  tokens:\n    - name: bureau\n      role: account_admin\n" +
                   "      agencies: [A01]\n      " + hash +
                   "\n    - name: bureau-all\n      role: account_admin\n      agencies: [A01]\n" +
                   "      with_subagencies: true\n      " + hash2 + "\n");
  INFO((ok ? "" : ok.error()));
  REQUIRE(ok);
  CHECK(ok->admin.tokens[0].scope.agencies == std::vector<std::string>{"A01"});
  CHECK_FALSE(ok->admin.tokens[0].scope.with_subagencies);
  CHECK(ok->admin.tokens[0].scope.units.empty());
  CHECK(ok->admin.tokens[1].scope.with_subagencies);

  auto bad = f.load(kMinimal + "admin:\n  tokens:\n    - name: a\n      role: admin\n" +
                    "      agencies: []\n      " + hash + "\n    - name: b\n      role: admin\n" +
                    "      units: [A01]\n      with_subagencies: true\n      " + hash2 + "\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("admin.tokens[0].agencies: must list at least one agency code"));
  CHECK_THAT(bad.error(), Contains("admin.tokens[1].with_subagencies: needs agencies"));
}
