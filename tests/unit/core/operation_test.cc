#include <catch2/catch.hpp>

#include "core/directory.h"

using namespace ps;

TEST_CASE("an operation without a target reads empty new RDN, parent and DN", "[operation]") {
  Operation add;
  add.type = OpType::add;
  CHECK(add.new_rdn().empty());
  CHECK(add.new_superior().empty());
  CHECK(add.new_dn().empty());
}

TEST_CASE("a move's target survives copies and is replaced, not shared, when set", "[operation]") {
  Operation move;
  move.type = OpType::move;
  move.dn = "uid=lin,ou=a,ou=portal";
  move.set_target({"uid=lin", "ou=b,ou=portal", "uid=lin,ou=b,ou=portal"});
  Operation copy = move;
  CHECK(copy.new_rdn() == "uid=lin");
  CHECK(copy.new_superior() == "ou=b,ou=portal");
  CHECK(copy.new_dn() == "uid=lin,ou=b,ou=portal");

  copy.set_target({"uid=lin2", "", "uid=lin2,ou=a,ou=portal"});
  CHECK(copy.new_rdn() == "uid=lin2");
  CHECK(copy.new_superior().empty());
  CHECK(move.new_rdn() == "uid=lin");  // the original keeps its own
  CHECK(move.new_dn() == "uid=lin,ou=b,ou=portal");
}

TEST_CASE("an operation stays small: a first sync plans 100,000 adds", "[operation]") {
  STATIC_REQUIRE(sizeof(Operation) <= 280);  // was about 380 with the target's three strings
}
