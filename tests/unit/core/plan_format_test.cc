#include <catch2/catch.hpp>

#include "core/plan_format.h"

using namespace ps;

TEST_CASE("a plan renders as an LDIF change file with base64 for non-ASCII values", "[format]") {
  Plan plan;
  Operation add;
  add.type = OpType::add;
  add.dn = "uid=chen,ou=portal";
  add.mods = {{Modification::Kind::add, "objectClass", {"inetOrgPerson"}, {}},
              {Modification::Kind::add, "cn", {"陳"}, {}}};
  Operation move;
  move.type = OpType::move;
  move.dn = "uid=lin,ou=a,ou=portal";
  move.set_target({"uid=lin", "ou=b,ou=portal", ""});
  Operation disable;
  disable.type = OpType::disable;
  disable.dn = "uid=wang,ou=portal";
  disable.mods = {{Modification::Kind::replace, "pwdAccountLockedTime", {"000001010000Z"}, {}}};
  Operation held = disable;
  held.held = true;
  plan.operations = {add, move, disable, held};
  CHECK(plan_to_ldif(plan) ==
        "dn: uid=chen,ou=portal\nchangetype: add\nobjectClass: inetOrgPerson\ncn:: 6Zmz\n\n"
        "dn: uid=lin,ou=a,ou=portal\nchangetype: modrdn\nnewrdn: uid=lin\ndeleteoldrdn: 1\n"
        "newsuperior: ou=b,ou=portal\n\n"
        "dn: uid=wang,ou=portal\nchangetype: modify\nreplace: pwdAccountLockedTime\n"
        "pwdAccountLockedTime: 000001010000Z\n-\n\n");
}
