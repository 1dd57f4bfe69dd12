// directory.person_key: the attribute and the key file, read at load time; a short key, a
// missing file and the national ID's own attribute are refused with the key's name.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;

namespace {

std::string with_person_key(const std::string& body) { return kMinimal + "  person_key:\n" + body; }

}  // namespace

TEST_CASE("directory.person_key reads its key file, relative to the configuration",
          "[config][person-key]") {
  ConfigFiles f;
  CHECK(f.load(kMinimal)->directory.person_key.attribute.empty());  // off by default
  write_file(f.dir.file("person.key"), std::string(40, 'k') + "\n", 0600);
  auto c = f.load(with_person_key("    attribute: employeeNumber\n    key_file: person.key\n"));
  REQUIRE(c);
  const auto& k = c->directory.person_key;
  CHECK(k.attribute == "employeeNumber");
  CHECK(k.key_file == f.dir.file("person.key"));
  CHECK(k.key == std::string(40, 'k'));
  CHECK(c->warnings.empty());
}

TEST_CASE(
    "directory.person_key refuses a short key, a missing file, an unknown key and the "
    "national ID's attribute",
    "[config][person-key]") {
  ConfigFiles f;
  write_file(f.dir.file("short.key"), "abc\n", 0600);
  auto short_key =
      f.load(with_person_key("    attribute: employeeNumber\n    key_file: short.key\n"));
  REQUIRE_FALSE(short_key);
  CHECK_THAT(short_key.error(), Catch::Contains("directory.person_key.key_file"));
  CHECK_THAT(short_key.error(), Catch::Contains("holds 3 bytes; the key must be 32 or more"));

  auto missing = f.load(with_person_key("    attribute: employeeNumber\n    key_file: none.key\n"));
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error(), Catch::Contains("directory.person_key.key_file"));

  auto no_file = f.load(with_person_key("    attribute: employeeNumber\n"));
  REQUIRE_FALSE(no_file);
  CHECK_THAT(no_file.error(), Catch::Contains("key_file"));

  write_file(f.dir.file("person.key"), std::string(40, 'k'), 0600);
  auto same = f.load(kMinimal + "  national_id_attribute: employeeNumber\n  person_key:\n" +
                     "    attribute: employeenumber\n    key_file: person.key\n");
  REQUIRE_FALSE(same);
  CHECK_THAT(same.error(), Catch::Contains("must differ from directory.national_id_attribute"));

  auto typo = f.load(with_person_key("    attribute: employeeNumber\n    keyfile: person.key\n"));
  REQUIRE_FALSE(typo);
  CHECK_THAT(typo.error(), Catch::Contains("keyfile"));
}
