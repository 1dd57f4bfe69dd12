// Locks that stop binds on a stock slapd (the ppolicy overlay loaded, no default policy): pending,
// disabled and portal-locked accounts are refused by ldapwhoami, as any client would be, and bind
// again once enabled; a directory on which a lock would not stop a bind is refused before
// anything is written.
#include <catch2/catch.hpp>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";
const std::string kCity = "ou=臺南市政府," + kBase;
const std::string kCivil = "ou=戶政科,ou=民政局," + kCity;
const std::string kPolicy = "cn=portalsync-lock," + kBase;
const std::string kPassword = "Ynk7#Qpr2!Wz5m";

struct User {
  std::string username;
  std::string dn;
};

const User kChen{"chen.yating", "uid=chen.yating," + kCivil};                  // enabled
const User kWang{"wang.xm", "uid=wang.xm,ou=民政局," + kCity};                 // locked below
const User kPending{"huang.pending", "uid=huang.pending,ou=教育局," + kCity};  // pending
const User kLeft{"tsai.left", "uid=tsai.left,ou=教育局," + kCity};             // disabled

RunResult sync(const PortalFixture& p) { return p.portalsync({"sync", "--once"}); }

// ldapwhoami as the user, the way a client signs in: exit 0 when the bind succeeds, 49 when the
// server says "Invalid credentials".
int whoami(const SlapdServer& slapd, const PortalFixture& p, const User& u) {
  auto file = p.dir().file("bind.pw");
  write_file(file, kPassword, 0600);
  return run({"ldapwhoami", "-x", "-H", slapd.url(), "-D", u.dn, "-y", file}).exit_code;
}

// The administrator sets the password with ldappasswd (which also makes ppolicy drop any
// pwdAccountLockedTime the entry had: the next sync must lock it again).
void set_password(const SlapdServer& slapd, const User& u) {
  auto set = slapd.admin_client().run_tool("ldappasswd", "", {"-s", kPassword, u.dn});
  INFO(set.err);
  REQUIRE(set.ok());
}

std::string attribute(const SlapdServer& slapd, const std::string& dn, const std::string& name) {
  auto entry = slapd.admin_client().read(dn, {name});
  return entry ? entry->first(name) : "";
}

void require_sync(const PortalFixture& p) {
  auto run = sync(p);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
}

}  // namespace

TEST_CASE(
    "pending, disabled and portal-locked accounts cannot bind on a stock slapd, and can "
    "once enabled",
    "[cli][lock]") {
  SlapdServer slapd;  // stock: ppolicy overlay, no default policy
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec("UPDATE accounts SET locked = 1 WHERE username = 'wang.xm'");
  auto first = sync(portal);
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  auto policy = slapd.admin_client().read(kPolicy, {"pwdLockout", "pwdAttribute", "objectClass"});
  REQUIRE(policy);
  CHECK(policy->first("pwdLockout") == "TRUE");
  CHECK(attribute(slapd, kPending.dn, "pwdPolicySubentry") == kPolicy);
  CHECK(attribute(slapd, kChen.dn, "pwdPolicySubentry").empty());

  for (const auto& u : {kChen, kWang, kPending, kLeft}) set_password(slapd, u);
  CHECK(attribute(slapd, kLeft.dn, "pwdAccountLockedTime").empty());  // ppolicy dropped it
  auto relock = sync(portal);
  INFO(relock.out << relock.err);
  REQUIRE(relock.exit_code == 0);
  CHECK_THAT(relock.out, Contains("3 operations planned, 3 applied"));  // the locks again
  CHECK(portal.plan_is_empty());

  CHECK(whoami(slapd, portal, kChen) == 0);
  CHECK(whoami(slapd, portal, kWang) == 49);
  CHECK(whoami(slapd, portal, kPending) == 49);
  CHECK(whoami(slapd, portal, kLeft) == 49);

  portal.exec("UPDATE accounts SET status = 'enabled', locked = 0");
  require_sync(portal);
  for (const auto& u : {kWang, kPending, kLeft}) {
    INFO(u.username);
    CHECK(whoami(slapd, portal, u) == 0);
    CHECK(attribute(slapd, u.dn, "pwdPolicySubentry").empty());
    CHECK(attribute(slapd, u.dn, "pwdAccountLockedTime").empty());
  }
  CHECK(portal.plan_is_empty());

  // Someone leaves: the account that signed in a moment ago no longer can.
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE username = 'chen.yating'");
  require_sync(portal);
  CHECK(whoami(slapd, portal, kChen) == 49);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("the lock policy is recreated when deleted by hand and put right when changed",
          "[cli][lock]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  require_sync(portal);
  set_password(slapd, kLeft);
  require_sync(portal);  // locks tsai.left again after ldappasswd
  REQUIRE(whoami(slapd, portal, kLeft) == 49);

  REQUIRE(slapd.admin_client().run_tool("ldapdelete", "", {kPolicy}).ok());
  auto plan = portal.portalsync({"plan"});
  CHECK_THAT(plan.err + plan.out, Contains("the first sync creates the lock policy " + kPolicy));
  require_sync(portal);
  CHECK(whoami(slapd, portal, kLeft) == 49);

  REQUIRE(slapd.modify("dn: " + kPolicy + "\nchangetype: modify\nreplace: pwdLockout\n" +
                       "pwdLockout: FALSE\n") == 0);
  CHECK(whoami(slapd, portal, kLeft) == 0);
  auto repaired = sync(portal);
  INFO(repaired.out << repaired.err);
  REQUIRE(repaired.exit_code == 0);
  CHECK_THAT(repaired.err, Contains("set pwdLockout: TRUE on the lock policy"));
  CHECK(whoami(slapd, portal, kLeft) == 49);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a password policy an administrator set on an entry is kept, locked or enabled",
          "[cli][lock]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  const std::string strict = "cn=strict,dc=example,dc=org";
  REQUIRE(slapd.add("dn: " + strict +
                    "\nobjectClass: device\nobjectClass: pwdPolicy\ncn: strict\n"
                    "pwdAttribute: userPassword\npwdLockout: TRUE\npwdMaxFailure: 5\n") == 0);
  portal.seed_small_tree();
  require_sync(portal);
  set_password(slapd, kLeft);
  REQUIRE(slapd.modify("dn: " + kLeft.dn +
                       "\nchangetype: modify\nreplace: pwdPolicySubentry\npwdPolicySubentry: " +
                       strict + "\n") == 0);
  auto locked = sync(portal);
  INFO(locked.out << locked.err);
  REQUIRE(locked.exit_code == 0);
  CHECK(attribute(slapd, kLeft.dn, "pwdPolicySubentry") == strict);
  CHECK_THAT(locked.out + locked.err, Contains("keeps the password policy " + strict));
  CHECK(whoami(slapd, portal, kLeft) == 49);  // strict has pwdLockout: TRUE
  CHECK(portal.plan_is_empty());

  portal.exec("UPDATE accounts SET status = 'enabled' WHERE username = 'tsai.left'");
  require_sync(portal);
  CHECK(attribute(slapd, kLeft.dn, "pwdPolicySubentry") == strict);
  CHECK(whoami(slapd, portal, kLeft) == 0);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a slapd without the ppolicy overlay is refused before anything is written",
          "[cli][lock]") {
  SlapdOptions none;
  none.ppolicy = SlapdOptions::Ppolicy::none;
  SlapdServer slapd(none);
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  auto run = sync(portal);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("a locked account could still sign in"));
  CHECK_THAT(run.err, Contains("overlay ppolicy"));
  CHECK(slapd.search(kBase).empty());
  CHECK(slapd.search("dc=example,dc=org", "(uid=*)").empty());
  auto plan = portal.portalsync({"plan"});
  CHECK(plan.exit_code == 1);
  CHECK_THAT(plan.err, Contains("overlay ppolicy"));
}

TEST_CASE(
    "a slapd with the ppolicy module but no overlay on the database is refused by a test "
    "bind",
    "[cli][lock]") {
  SlapdOptions module_only;
  module_only.ppolicy = SlapdOptions::Ppolicy::module_only;
  SlapdServer slapd(module_only);
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  auto run = sync(portal);
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("a test bind as " + kPolicy));
  CHECK_THAT(run.err, Contains("overlay ppolicy"));
  CHECK(slapd.search("dc=example,dc=org", "(uid=*)").empty());  // no account was written
  CHECK(slapd.search(kBase, "(cn=portalsync-lock)").empty());   // removed again
  auto again = sync(portal);
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Contains("a test bind as " + kPolicy));
  CHECK(slapd.search("dc=example,dc=org", "(uid=*)").empty());
}
