// The connector's set_password and unlock on their own: the AD encoding of unicodePwd, the
// refusal of a session without TLS, and what a failure says. The CLI tests (tests/integration/cli/
// password_test.cc) check binds with the result; AD itself is exercised by the Samba suite.
#include <catch2/catch.hpp>

#include "connectors/ldap/ldap_password.h"
#include "ldap_test_helpers.h"

using namespace ldap_test;
using Catch::Contains;
using ps::testing::SlapdOptions;
using ps::testing::SlapdServer;

namespace {

const std::string kPeople = "ou=people,dc=example,dc=org";
const std::string kUser = "uid=lin.wei," + kPeople;
const std::string kPassword = "Ynk7#Qpr2!Wz5m";

SlapdServer tls_slapd() {
  SlapdOptions options;
  options.tls = true;
  return SlapdServer(options);
}

LdapSettings starttls_settings(const SlapdServer& slapd) {
  auto s = admin_settings(slapd);
  s.tls = LdapSettings::Tls::starttls;
  s.ca_file = slapd.ca_file();
  return s;
}

void add_user(LdapConnector& c) {
  REQUIRE(run_one(c, add_ou("dc=example,dc=org", "people")).outcome.ok);
  REQUIRE(run_one(c, add_person(kUser, "lin.wei", "林威", "林")).outcome.ok);
}

std::string utf16le(std::initializer_list<unsigned> units) {
  std::string out;
  for (unsigned u : units) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

}  // namespace

TEST_CASE("unicodePwd is the quoted password in UTF-16LE", "[ldap][password]") {
  CHECK(ps::ad_unicode_password("Ab1!") == utf16le({'"', 'A', 'b', '1', '!', '"'}));
  CHECK(ps::ad_unicode_password("臺南") == utf16le({'"', 0x81FA, 0x5357, '"'}));
  CHECK(ps::ad_unicode_password("x😀") == utf16le({'"', 'x', 0xD83D, 0xDE00, '"'}));
  CHECK(ps::ad_unicode_password("a\"b") == utf16le({'"', 'a', '"', 'b', '"'}));
  CHECK(ps::ad_unicode_password("bad\xff").empty());
}

TEST_CASE("set_password refuses a session without TLS and sends nothing", "[ldap][password]") {
  SlapdServer slapd;
  auto c = connect(admin_settings(slapd));
  add_user(*c);
  auto refused = c->set_password(kUser, kPassword, false);
  REQUIRE_FALSE(refused);
  CHECK(refused.message() == "set password " + kUser + ": refused: the connection to " +
                                 slapd.url() +
                                 " is not encrypted; passwords are sent only over StartTLS or "
                                 "ldaps (directory.tls)");
  CHECK_FALSE(slapd.search(kPeople, "(uid=lin.wei)", {"userPassword"}).at(0).has("userpassword"));
}

TEST_CASE("set_password over StartTLS sets a hashed password", "[ldap][password]") {
  auto slapd = tls_slapd();
  auto c = connect(starttls_settings(slapd));
  add_user(*c);
  CHECK_OK(c->set_password(kUser, kPassword, true));
  auto entry = slapd.search(kPeople, "(uid=lin.wei)", {"userPassword", "pwdReset"}).at(0);
  CHECK(entry.first("userpassword").starts_with("{SSHA}"));
  CHECK(entry.first("pwdreset") == "TRUE");
}

TEST_CASE("a refused password change names the DN and the server's reason, not the password",
          "[ldap][password]") {
  auto slapd = tls_slapd();
  auto c = connect(starttls_settings(slapd));
  auto missing = c->set_password(kUser, kPassword, false);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.message(), Contains("set password " + kUser + ": No such object"));
  CHECK_THAT(missing.message(), !Contains(kPassword));
}

TEST_CASE("the ad flavor's requests reach the server as modifications of AD attributes",
          "[ldap][password]") {
  // slapd has no unicodePwd or lockoutTime: its refusal shows what was asked, and that a
  // refusal is reported with the DN and the server's reason.
  auto slapd = tls_slapd();
  auto settings = starttls_settings(slapd);
  settings.flavor = ps::Flavor::ad;
  auto c = connect(settings);
  add_user(*c);
  auto set = c->set_password(kUser, kPassword, true);
  REQUIRE_FALSE(set);
  CHECK_THAT(set.message(), Contains("set password " + kUser + ": Undefined attribute type"));
  CHECK_THAT(set.message(), Contains("unicodePwd"));
  CHECK_THAT(set.message(), !Contains(kPassword));
  auto unlock = c->unlock(kUser);
  REQUIRE_FALSE(unlock);
  CHECK_THAT(unlock.message(), Contains("unlock " + kUser + ": Undefined attribute type"));
  CHECK_THAT(unlock.message(), Contains("lockoutTime"));
}

TEST_CASE("unlock leaves an entry without a lockout alone", "[ldap][password]") {
  SlapdServer slapd;
  auto c = connect(admin_settings(slapd));
  add_user(*c);
  CHECK_OK(c->unlock(kUser));  // no TLS needed: no secret is sent
  CHECK_FALSE(slapd.search(kPeople, "(uid=lin.wei)").at(0).has("pwdaccountlockedtime"));
}
