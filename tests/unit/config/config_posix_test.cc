// directory.posix: off unless present, defaults, and the values that would make numbers clash or
// paths useless refused at their line.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;
using Catch::Contains;

TEST_CASE("directory.posix is off unless present, and present takes the defaults", "[config]") {
  ConfigFiles f;
  auto off = f.load(kMinimal);
  REQUIRE(off);
  CHECK_FALSE(off->directory.posix.enabled);
  auto on = f.load(kMinimal + "  posix: {}\n");
  REQUIRE(on);
  const auto& p = on->directory.posix;
  CHECK(p.enabled);
  CHECK(p.uid_min == 100000);
  CHECK(p.uid_max == 199999);
  CHECK(p.gid_min == 200000);
  CHECK(p.primary_gid == 100);
  CHECK(p.home_directory == "/home/{username}");
  CHECK(p.login_shell == "/bin/bash");
  auto set = f.load(kMinimal +
                    "  posix:\n    uid_min: 5000\n    uid_max: 5999\n    primary_gid: 4000\n"
                    "    home_directory: /srv/home/{username}\n    login_shell: /bin/zsh\n");
  REQUIRE(set);
  CHECK(set->directory.posix.uid_min == 5000);
  CHECK(set->directory.posix.uid_max == 5999);
  CHECK(set->directory.posix.primary_gid == 4000);
  CHECK(set->directory.posix.home_directory == "/srv/home/{username}");
  // A minimum alone moves the whole range: as wide as the default one.
  auto moved = f.load(kMinimal + "  posix:\n    uid_min: 300000\n");
  REQUIRE(moved);
  CHECK(moved->directory.posix.uid_max == 399999);
  CHECK(moved->directory.posix.gid_min == 200000);
}

TEST_CASE("directory.posix refuses ranges and paths that cannot work", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal +
                  "  posix:\n    uid_min: 500\n    gid_min: 9000\n    gid_max: 8000\n"
                  "    primary_gid: 250000\n    home_directory: home\n    login_shell: bash\n"
                  "    uid_range: 1\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains(f.at(9) + "directory.posix.uid_min"));
  CHECK_THAT(c.error(), Contains(f.at(11) + "directory.posix.gid_max: must not be below "
                                            "directory.posix.gid_min (9000)"));
  CHECK_THAT(c.error(), Contains(f.at(12) + "directory.posix.primary_gid: must lie outside "
                                            "gid_min-gid_max (200000-299999)"));
  CHECK_THAT(c.error(), Contains(f.at(13) + "directory.posix.home_directory: must be an absolute "
                                            "path with {username} in it"));
  CHECK_THAT(c.error(), Contains(f.at(14) + "directory.posix.login_shell: must be an absolute"));
  CHECK_THAT(c.error(), Contains(f.at(15) + "directory.posix.uid_range"));
}

TEST_CASE("directory.posix.primary_group needs groups_dn", "[config]") {
  ConfigFiles f;
  auto none = f.load(kMinimal + "  posix: {}\n");
  REQUIRE(none);
  CHECK(none->directory.posix.primary_group.empty());
  auto without = f.load(kMinimal + "  posix:\n    primary_group: portal-users\n");
  REQUIRE_FALSE(without);
  CHECK_THAT(without.error(), Contains(f.at(9) + "directory.posix.primary_group: needs "
                                                 "directory.groups_dn"));
  auto with = f.load(kMinimal + "  groups_dn: \"ou=groups,ou=portal,dc=example,dc=org\"\n" +
                     "  posix:\n    primary_gid: 99999\n    primary_group: portal-users\n");
  REQUIRE(with);
  CHECK(with->directory.posix.primary_group == "portal-users");
  CHECK(with->directory.posix.primary_gid == 99999);
}

TEST_CASE("directory.agency_groups needs groups_dn and {code} in its template",
          "[config][agency]") {
  ConfigFiles f;
  const std::string groups = "  groups_dn: \"ou=groups,ou=portal,dc=example,dc=org\"\n";
  auto on = f.load(kMinimal + groups + "  agency_groups: \"agency-{code}\"\n");
  REQUIRE(on);
  CHECK(on->directory.agency_groups == "agency-{code}");
  auto no_code = f.load(kMinimal + groups + "  agency_groups: agency\n");
  REQUIRE_FALSE(no_code);
  CHECK_THAT(no_code.error(),
             Contains(f.at(9) + "directory.agency_groups: must name each agency's group with "
                                "{code}"));
  auto no_groups = f.load(kMinimal + "  agency_groups: \"agency-{code}\"\n");
  REQUIRE_FALSE(no_groups);
  CHECK_THAT(no_groups.error(),
             Contains(f.at(8) + "directory.agency_groups: needs directory.groups_dn"));
}
