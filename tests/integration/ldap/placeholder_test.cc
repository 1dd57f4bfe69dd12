#include <catch2/catch.hpp>
TEST_CASE("ldap suite builds", "[placeholder]") { REQUIRE(true); }
