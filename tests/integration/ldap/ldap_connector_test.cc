// The libldap connector against a real slapd: errors that name the server and the reason,
// pipelined writes, the post-read anchor, paged reads.
#include <catch2/catch.hpp>

#include "connectors/ldap/ldap_connector.h"
#include "core/dn.h"
#include "tests/support/process.h"
#include "tests/support/slapd_server.h"

using namespace ps;
using namespace ps::testing;

namespace {

LdapSettings settings_for(const SlapdServer& slapd) {
  LdapSettings s;
  s.url = slapd.url();
  s.tls = LdapSettings::Tls::none;
  s.bind_dn = slapd.admin_dn();
  s.bind_password = read_file(slapd.password_file());
  s.timeout_seconds = 5;
  return s;
}

Operation add_ou(const std::string& dn, const std::string& name) {
  Operation op;
  op.type = OpType::add;
  op.dn = dn;
  op.mods = {{Modification::Kind::add, "objectClass", {"organizationalUnit"}, {}},
             {Modification::Kind::add, "ou", {name}, {}}};
  return op;
}

Completion wait(LdapConnector& c) {
  auto r = c.wait_completion();
  REQUIRE(r);
  return r.value();
}

}  // namespace

TEST_CASE("a wrong password and an unreachable server give clear errors", "[ldap]") {
  SlapdServer slapd;
  auto s = settings_for(slapd);
  s.bind_password = "not-the-password";
  auto wrong = LdapConnector::connect(s);
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error(),
             Catch::Contains("bind as cn=admin,dc=example,dc=org failed: Invalid credentials"));
  CHECK_THAT(wrong.error(), !Catch::Contains("not-the-password"));
  s = settings_for(slapd);
  s.url = "ldap://127.0.0.1:" + std::to_string(free_loopback_port());
  auto down = LdapConnector::connect(s);
  REQUIRE_FALSE(down);
  CHECK_THAT(down.error(), Catch::Contains("cannot connect to " + s.url));
}

TEST_CASE("pipelined adds complete, a failure names the DN and spares the others", "[ldap]") {
  SlapdServer slapd;
  auto c = LdapConnector::connect(settings_for(slapd));
  REQUIRE(c);
  auto& conn = *c.value();
  auto missing = conn.read_subtree({"ou=p,dc=example,dc=org", {"ou"}});
  REQUIRE(missing);
  CHECK_FALSE(missing->base_exists);

  REQUIRE(conn.submit(0, add_ou("ou=p,dc=example,dc=org", "p")));
  auto first = wait(conn);
  REQUIRE(first.outcome.ok);
  for (int i = 1; i <= 40; ++i)
    REQUIRE(conn.submit(
        i, add_ou(join_dn(make_rdn("ou", "單位" + std::to_string(i)), "ou=p,dc=example,dc=org"),
                  "單位" + std::to_string(i))));
  REQUIRE(conn.submit(41, add_ou("ou=x,ou=nowhere,dc=example,dc=org", "x")));
  int ok = 0;
  std::string failure;
  for (int i = 0; i < 41; ++i) {
    auto done = wait(conn);
    if (done.outcome.ok)
      ++ok;
    else
      failure = done.outcome.message;
  }
  CHECK(ok == 40);
  CHECK_THAT(failure, Catch::Contains("add ou=x,ou=nowhere,dc=example,dc=org: No such object"));

  // The post-read anchor is the entryUUID a real client sees.
  auto read = conn.read_subtree({"ou=p,dc=example,dc=org", {"ou"}});
  REQUIRE(read);
  CHECK(read->entries.size() == 40);
  CHECK(first.outcome.anchor ==
        slapd.search("dc=example,dc=org", "(ou=p)").at(0).first("entryuuid"));
}

TEST_CASE("paged reads return every entry with its anchor", "[ldap]") {
  SlapdServer slapd;
  std::string ldif = "dn: ou=big,dc=example,dc=org\nobjectClass: organizationalUnit\nou: big\n\n";
  for (int i = 0; i < 3000; ++i)
    ldif += "dn: uid=u" + std::to_string(i) +
            ",ou=big,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: u" + std::to_string(i) +
            "\ncn: 使用者\nsn: 陳\n\n";
  REQUIRE(slapd.add(ldif) == 0);
  auto s = settings_for(slapd);
  s.page_size = 500;
  auto c = LdapConnector::connect(s);
  REQUIRE(c);
  auto read = c.value()->read_subtree({"ou=big,dc=example,dc=org", {"uid", "cn"}});
  REQUIRE(read);
  CHECK(read->base_exists);
  REQUIRE(read->entries.size() == 3000);
  CHECK_FALSE(read->entries[5].anchor.empty());
  CHECK(read->entries[5].find("cn")->at(0) == "使用者");
}

TEST_CASE("modrdn with newSuperior keeps the entryUUID, the lock attribute can be set and cleared",
          "[ldap]") {
  SlapdServer slapd;
  REQUIRE(
      slapd.add(
          "dn: ou=a,dc=example,dc=org\nobjectClass: organizationalUnit\nou: a\n\n"
          "dn: ou=b,dc=example,dc=org\nobjectClass: organizationalUnit\nou: b\n\n"
          "dn: uid=t,ou=a,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: t\ncn: t\nsn: t\n") ==
      0);
  auto uuid = slapd.search("dc=example,dc=org", "(uid=t)").at(0).first("entryuuid");
  auto c = LdapConnector::connect(settings_for(slapd));
  REQUIRE(c);
  Operation move;
  move.type = OpType::move;
  move.dn = "uid=t,ou=a,dc=example,dc=org";
  move.new_rdn = "uid=t2";
  move.new_superior = "ou=b,dc=example,dc=org";
  REQUIRE(c.value()->submit(1, move));
  CHECK(wait(*c.value()).outcome.ok);
  Operation lock;
  lock.type = OpType::disable;
  lock.dn = "uid=t2,ou=b,dc=example,dc=org";
  lock.mods = {{Modification::Kind::replace, "pwdAccountLockedTime", {"000001010000Z"}, {}}};
  REQUIRE(c.value()->submit(2, lock));
  CHECK(wait(*c.value()).outcome.ok);
  auto moved = slapd.search("dc=example,dc=org", "(uid=t2)");
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].dn == "uid=t2,ou=b,dc=example,dc=org");
  CHECK(moved[0].first("entryuuid") == uuid);
  CHECK(moved[0].first("pwdaccountlockedtime") == "000001010000Z");
  Operation unlock = lock;
  unlock.type = OpType::enable;
  unlock.mods = {{Modification::Kind::remove, "pwdAccountLockedTime", {}, {}}};
  REQUIRE(c.value()->submit(3, unlock));
  CHECK(wait(*c.value()).outcome.ok);
  CHECK_FALSE(slapd.search("dc=example,dc=org", "(uid=t2)").at(0).has("pwdaccountlockedtime"));
}
