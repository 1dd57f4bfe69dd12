// Inputs tests/fuzz/config_fuzz found to misbehave, kept as regression tests.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;
using Catch::Contains;

TEST_CASE("a stray comma at the top of the file is an error, not a hang", "[config][fuzz]") {
  // config_fuzz: yaml-cpp 0.7's LoadAll never returned (and kept allocating) on a file starting
  // with ',' (jbeder/yaml-cpp#1040).
  ConfigFiles f;
  for (const char* text : {",", ",ortal: {database: x}\n", ",{\n", "\n\n,\n"}) {
    auto c = f.load(text);
    REQUIRE_FALSE(c);
    CHECK_THAT(c.error(),
               Contains("must be a mapping of sections") || Contains("YAML syntax error"));
  }
  // Still: several documents are refused, at the second one's line.
  auto two = f.load("log: {level: info}\n---\nlog: {level: debug}\n");
  REQUIRE_FALSE(two);
  CHECK(two.error() == f.at(2) + "holds more than one YAML document (---); keep only one");
}

TEST_CASE("a path the file system refuses to look at is an error, not a crash", "[config][fuzz]") {
  // config_fuzz: a time zone of 300 letters made std::filesystem::is_regular_file throw
  // (ENAMETOOLONG) out of load_config, and the daemon would have died on its own config.
  ConfigFiles f;
  const std::string long_name(300, 'A');
  auto zone = f.load(kMinimal + "daemon:\n  timezone: " + long_name + "\n");
  REQUIRE_FALSE(zone);
  CHECK_THAT(zone.error(), Contains("is not a time zone"));

  // The same refusal for the audit key: unreadable, not "does not exist yet".
  auto key = f.load(kMinimal + "audit:\n  key_file: /tmp/" + long_name + "\n");
  REQUIRE_FALSE(key);
  CHECK_THAT(key.error(), Contains("audit.key_file: cannot read /tmp/" + long_name));
}
