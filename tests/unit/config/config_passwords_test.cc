// The passwords section: defaults, every key, bad values, and the common-password list it names
// (the shipped one unless set).
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config/password_list.h"
#include "config_fixture.h"
#include "core/text.h"
#include "tests/support/build_paths.h"

using namespace ps;
using namespace ps::testing;
using Catch::Matchers::Contains;

TEST_CASE("the password policy defaults to the portals' rules and the shipped list",
          "[config][passwords]") {
  ConfigFiles f;
  auto c = f.load(kMinimal);
  REQUIRE(c);
  const auto& p = c->passwords;
  CHECK(p.min_length == 12);
  CHECK(p.min_classes == 3);
  CHECK(p.forbid_username);
  CHECK(p.max_run == 3);
  // Run from the build directory: the source tree's list (nothing is installed beside it).
  CHECK(p.common_list == ps::testing::source_dir() + "/data/common-passwords.txt");
  CHECK(c->warnings.empty());
}

TEST_CASE("every passwords key is read, the list relative to the configuration",
          "[config][passwords]") {
  ConfigFiles f;
  write_file(f.dir.file("weak.txt"), "# ours\nHunter2\n\n  Tainan@2024  \n");
  auto c = f.load(kMinimal +
                  "passwords:\n  min_length: 16\n  min_classes: 4\n  forbid_username: false\n"
                  "  max_run: 0\n  common_list: weak.txt\n");
  REQUIRE(c);
  const auto& p = c->passwords;
  CHECK(p.min_length == 16);
  CHECK(p.min_classes == 4);
  CHECK_FALSE(p.forbid_username);
  CHECK(p.max_run == 0);
  CHECK(p.common_list == f.dir.file("weak.txt"));
  auto list = read_common_passwords(p.common_list);
  REQUIRE(list);
  CHECK(list.value() == std::unordered_set<std::string>{"hunter2", "tainan@2024"});
}

TEST_CASE("bad passwords values are errors naming the key and the range", "[config][passwords]") {
  ConfigFiles f;
  auto c = f.load(kMinimal +
                  "passwords:\n  min_length: 6\n  min_classes: 5\n  forbid_username: maybe\n"
                  "  max_run: -1\n  common_list: missing.txt\n  min_lenght: 12\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(9) + "passwords.min_length: must be between 8 and 128 (got 6)\n" +
                         f.at(10) + "passwords.min_classes: must be between 1 and 4 (got 5)\n" +
                         f.at(11) +
                         "passwords.forbid_username: must be true or false (got \"maybe\")\n" +
                         f.at(12) + "passwords.max_run: must be between 0 and 64 (got -1)\n" +
                         f.at(13) + "passwords.common_list: cannot read " +
                         f.dir.file("missing.txt") + ": No such file or directory\n" + f.at(14) +
                         "passwords.min_lenght: unknown key (did you mean min_length?)");
}

TEST_CASE("a passwords section that is not a mapping is one error", "[config][passwords]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "passwords: strict\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains(f.at(8) + "passwords: must be a mapping of keys"));
}

TEST_CASE("the shipped common-password list holds the weak passwords the issue names",
          "[config][passwords]") {
  auto list = read_common_passwords(ps::testing::source_dir() + "/data/common-passwords.txt");
  REQUIRE(list);
  CHECK(list->size() > 300);
  for (const char* weak : {"123456", "password", "qwerty", "p@ssw0rd2024!", "taipei@12345",
                           "1qaz@wsx", "ji32k7au4a83"})
    CHECK(list->count(weak) == 1);
  for (const auto& entry : list.value()) CHECK(entry == to_lower_ascii(entry));
}
