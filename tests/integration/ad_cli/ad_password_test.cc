// Passwords on AD end to end: `portalsync password set` writes unicodePwd over ldaps and a real
// client can then bind as the user; a disabled user cannot; a password that breaks the policy is
// refused before anything is sent; a plain LDAP connection never carries one.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "ad_cli_helpers.h"

using namespace ps::testing;
using namespace ad_cli;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("ad flavor: a password set through portalsync lets the user bind, until disabled",
          "[ad][password]") {
  AdPortal p("ad-password");
  story_password_lets_the_user_bind_until_disabled(p.world(), "pw");
}

TEST_CASE("ad flavor: a password breaking the policy is refused before anything is sent",
          "[ad][password]") {
  AdPortal p("ad-password-policy");
  p.portal.seed_small_tree("pp");
  REQUIRE(p.sync().exit_code == 0);
  REQUIRE(
      p.portal.portalsync({"password", "set", "pp.wang", "--stdin"}, kStrongPassword + "\n").ok());
  auto weak = p.portal.portalsync({"password", "set", "pp.wang", "--stdin"}, "pp.wang-1234abcd\n");
  CHECK(weak.exit_code != 0);
  CHECK_THAT(weak.err, Catch::Contains("username"));
  CHECK_THAT(weak.err, Catch::Contains("1234"));
  CHECK(p.world().can_bind("pp.wang", kStrongPassword));
}

TEST_CASE("ad flavor: a password is never sent over a plain connection", "[ad][password]") {
  AdPortal p("ad-password-plain");
  p.portal.seed_small_tree("pl");
  REQUIRE(p.sync().exit_code == 0);
  // The same DC over plain ldap:// on port 389.
  auto plain_url = "ldap://" + p.dc.url.substr(std::string("ldaps://").size());
  auto config = read_text(p.portal.config());
  auto at = config.find(p.dc.url);
  config.replace(at, p.dc.url.size(), plain_url);
  write_file(p.portal.config(), config.substr(0, config.find("  ca_file")) +
                                    "  tls: none\n  allow_insecure: true\n" +
                                    config.substr(config.find("  bind_dn")));
  auto set = p.portal.portalsync({"password", "set", "pl.chen", "--stdin"}, kStrongPassword + "\n");
  INFO(set.out << set.err);
  CHECK(set.exit_code != 0);
  CHECK(set.err.find(kStrongPassword) == std::string::npos);
  CHECK_FALSE(p.world().can_bind("pl.chen", kStrongPassword));
}

TEST_CASE("ad flavor: unlock clears a lockout AD set after failed sign-ins", "[ad][password]") {
  AdPortal p("ad-unlock");
  story_unlock_clears_a_lockout(p.world(), "ul");
}

// userAccountControl's ACCOUNTDISABLE bit is the lock on AD: binds over ldaps as a pending, a
// portal-locked and a disabled user are refused, and succeed once the portal enables them.
TEST_CASE("ad flavor: pending, locked and disabled users cannot bind, and can once enabled",
          "[ad][password][lock]") {
  AdPortal p("ad-lock");
  auto w = p.world();
  p.portal.seed_small_tree("lk");
  p.portal.exec("UPDATE accounts SET locked = 1 WHERE username = 'lk.wang'");
  REQUIRE(p.sync().exit_code == 0);
  for (const char* user : {"lk.chen", "lk.wang", "lk.pending"}) {
    auto set = p.portal.portalsync({"password", "set", user, "--stdin"}, kStrongPassword + "\n");
    INFO(user << ": " << set.out << set.err);
    REQUIRE(set.exit_code == 0);
  }
  CHECK(w.can_bind("lk.chen", kStrongPassword));
  CHECK_FALSE(w.can_bind("lk.wang", kStrongPassword));
  CHECK_FALSE(w.can_bind("lk.pending", kStrongPassword));

  p.portal.exec("UPDATE accounts SET status = 'disabled' WHERE username = 'lk.chen'");
  REQUIRE(p.sync().exit_code == 0);
  CHECK_FALSE(w.can_bind("lk.chen", kStrongPassword));

  p.portal.exec("UPDATE accounts SET status = 'enabled', locked = 0");
  auto enable = p.sync();
  INFO(enable.out << enable.err);
  REQUIRE(enable.exit_code == 0);
  for (const char* user : {"lk.chen", "lk.wang", "lk.pending"}) {
    INFO(user);
    CHECK(w.can_bind(user, kStrongPassword));
  }
  CHECK(p.portal.plan_is_empty());
}
