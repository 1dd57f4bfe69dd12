// Connecting and binding: success, and failures that name the server and the reason (never the
// password). TLS: StartTLS and ldaps with the right CA, a wrong CA refused.
#include <catch2/catch.hpp>

#include "ldap_test_helpers.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

using namespace ldap_test;
using Catch::Contains;
using ps::testing::SlapdServer;

TEST_CASE("connect binds as the admin and the server answers", "[ldap][connect]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  CHECK_OK(connector->ping());
  CHECK(connector->outstanding() == 0);
}

TEST_CASE("a wrong password names the DN and the reason, not the password", "[ldap][connect]") {
  SlapdServer slapd;
  auto settings = admin_settings(slapd);
  settings.bind_password = "not-the-Password-42";
  auto refused = LdapConnector::connect(settings);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Contains("bind as cn=admin,dc=example,dc=org failed: "
                                       "Invalid credentials"));
  CHECK_THAT(refused.error(), Contains(slapd.url()));
  CHECK_THAT(refused.error(), !Contains("not-the-Password-42"));
}

TEST_CASE("an unreachable server gives 'cannot connect'", "[ldap][connect]") {
  LdapSettings settings;
  settings.url = "ldap://127.0.0.1:" + std::to_string(ps::testing::free_loopback_port());
  settings.tls = LdapSettings::Tls::none;
  settings.bind_dn = "cn=admin,dc=example,dc=org";
  settings.bind_password = "secret-never-shown";
  settings.timeout_seconds = 5;
  auto down = LdapConnector::connect(settings);
  REQUIRE_FALSE(down);
  CHECK(down.error() == "cannot connect to " + settings.url + ": Can't contact LDAP server");
}

TEST_CASE("the URL scheme must match the TLS mode", "[ldap][connect]") {
  LdapSettings settings;
  settings.url = "ldap://127.0.0.1:1";
  settings.tls = LdapSettings::Tls::ldaps;
  auto wrong = LdapConnector::connect(settings);
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error(), Contains("must start with ldaps://"));
  settings.url = "ldaps://127.0.0.1:1";
  settings.tls = LdapSettings::Tls::starttls;
  wrong = LdapConnector::connect(settings);
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error(), Contains("must start with ldap://"));
}

TEST_CASE("StartTLS and ldaps bind with the server's CA, another CA is refused",
          "[ldap][connect][tls]") {
  ps::testing::SlapdOptions options;
  options.tls = true;
  SlapdServer slapd(options);
  auto settings = admin_settings(slapd);
  settings.ca_file = slapd.ca_file();

  SECTION("StartTLS") {
    settings.tls = LdapSettings::Tls::starttls;
    CHECK_OK(connect(settings)->ping());
  }
  SECTION("ldaps") {
    settings.url = slapd.ldaps_url();
    settings.tls = LdapSettings::Tls::ldaps;
    CHECK_OK(connect(settings)->ping());
  }
  SECTION("a certificate from another CA does not verify") {
    ps::testing::TempDir other("ps-other-ca");
    settings.ca_file = ps::testing::make_test_certificates(other.path()).ca_file;
    settings.tls = LdapSettings::Tls::starttls;
    auto refused = LdapConnector::connect(settings);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error(), Contains("directory " + slapd.url() + ": StartTLS failed"));
    CHECK_THAT(refused.error(), Contains("certificate is not trusted by " + settings.ca_file));

    settings.url = slapd.ldaps_url();
    settings.tls = LdapSettings::Tls::ldaps;
    refused = LdapConnector::connect(settings);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error(), Contains("cannot connect to " + slapd.ldaps_url()));
    CHECK_THAT(refused.error(), Contains("TLS handshake failed"));
  }
  SECTION("a certificate for another host name does not verify") {
    settings.url = slapd.ldaps_url();  // the certificate names IP 127.0.0.1 only
    settings.url.replace(settings.url.find("127.0.0.1"), 9, "localhost");
    settings.tls = LdapSettings::Tls::ldaps;
    auto refused = LdapConnector::connect(settings);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error(), Contains("does not name the host in the URL"));
  }
  SECTION("a CA file that does not exist") {
    settings.ca_file = slapd.dir() + "/missing-ca.crt";
    settings.tls = LdapSettings::Tls::starttls;
    auto refused = LdapConnector::connect(settings);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error(),
               Contains("CA file " + settings.ca_file + ": No such file or directory"));
  }
  SECTION("plain LDAP still works on the StartTLS port") {
    CHECK_OK(connect(admin_settings(slapd))->ping());
  }
}
