// Passwords on AD end to end: `portalsync password set` writes unicodePwd over ldaps and a real
// client can then bind as the user; a disabled user cannot; a password that breaks the policy is
// refused before anything is sent; a plain LDAP connection never carries one.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sstream>

#include "ad_cli_helpers.h"
#include "tests/support/ldap_client.h"

using namespace ps::testing;
using namespace ad_cli;

namespace {

// Binds over ldaps as `principal` (a UPN) with `password`: what another system would do.
bool can_bind(const AdPortal& p, const std::string& principal, const std::string& password) {
  auto file = p.portal.dir().file("bind-check.secret");
  write_file(file, password, 0600);
  LdapClient client({p.dc.url, principal, file, p.dc.ca_file});
  return client.search(p.dc.base_dn, "(objectClass=*)", {"1.1"}, "base").is_ok();
}

const std::string kGood = "Tn-民政-Kq7v#2026";

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
  p.portal.seed_small_tree("pw");
  REQUIRE(p.sync().exit_code == 0);

  auto set = p.portal.portalsync({"password", "set", "pw.lin", "--stdin"}, kGood + "\n");
  INFO(set.out << set.err);
  REQUIRE(set.exit_code == 0);
  CHECK(can_bind(p, "pw.lin@portal.test", kGood));
  CHECK_FALSE(can_bind(p, "pw.lin@portal.test", "Wr0ng-but-l0ng-enough"));
  CHECK(set.out.find(kGood) == std::string::npos);
  CHECK(set.err.find(kGood) == std::string::npos);

  p.portal.exec("UPDATE accounts SET status = 'disabled' WHERE username = 'pw.lin'");
  REQUIRE(p.sync().exit_code == 0);
  CHECK(p.user("pw.lin")->first("userAccountControl") == "514");
  CHECK_FALSE(can_bind(p, "pw.lin@portal.test", kGood));

  auto audit = p.portal.portalsync({"audit", "query", "--account", "pw.lin", "--format", "json"});
  CHECK_THAT(audit.out, Catch::Contains("set_password"));
  CHECK(audit.out.find(kGood) == std::string::npos);
}

TEST_CASE("ad flavor: a password breaking the policy is refused before anything is sent",
          "[ad][password]") {
  AdPortal p("ad-password-policy");
  p.portal.seed_small_tree("pp");
  REQUIRE(p.sync().exit_code == 0);
  REQUIRE(p.portal.portalsync({"password", "set", "pp.wang", "--stdin"}, kGood + "\n").ok());
  auto weak = p.portal.portalsync({"password", "set", "pp.wang", "--stdin"}, "pp.wang-1234abcd\n");
  CHECK(weak.exit_code != 0);
  CHECK_THAT(weak.err, Catch::Contains("username"));
  CHECK_THAT(weak.err, Catch::Contains("1234"));
  CHECK(can_bind(p, "pp.wang@portal.test", kGood));
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
  auto set = p.portal.portalsync({"password", "set", "pl.chen", "--stdin"}, kGood + "\n");
  INFO(set.out << set.err);
  CHECK(set.exit_code != 0);
  CHECK(set.err.find(kGood) == std::string::npos);
  CHECK_FALSE(can_bind(p, "pl.chen@portal.test", kGood));
}

TEST_CASE("ad flavor: unlock clears a lockout AD set after failed sign-ins", "[ad][password]") {
  AdPortal p("ad-unlock");
  p.portal.seed_small_tree("ul");
  REQUIRE(p.sync().exit_code == 0);
  REQUIRE(p.portal.portalsync({"password", "set", "ul.wang", "--stdin"}, kGood + "\n").ok());
  // The domain locks after 3 failures for this test only (the DC is shared with other tests).
  auto threshold = [&](int n) {
    return p.dc.admin_client().modify("dn: " + p.dc.base_dn +
                                      "\nchangetype: modify\nreplace: lockoutThreshold\n"
                                      "lockoutThreshold: " +
                                      std::to_string(n) + "\n");
  };
  REQUIRE(threshold(3));
  struct Restore {
    std::function<void()> f;
    ~Restore() { f(); }
  } restore{[&] { threshold(0); }};
  for (int i = 0; i < 4; ++i) can_bind(p, "ul.wang@portal.test", "Wr0ng-but-l0ng-enough");
  CHECK(p.user("ul.wang")->first("lockoutTime") != "0");
  CHECK_FALSE(can_bind(p, "ul.wang@portal.test", kGood));

  auto unlock = p.portal.portalsync({"unlock", "ul.wang"});
  INFO(unlock.out << unlock.err);
  REQUIRE(unlock.exit_code == 0);
  CHECK(p.user("ul.wang")->first("lockoutTime") == "0");
  CHECK(can_bind(p, "ul.wang@portal.test", kGood));
}
