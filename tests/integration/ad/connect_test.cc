// Connecting to Active Directory (a Samba DC): ldaps and StartTLS with the DC's certificate
// checked against our CA, an untrusted certificate refused, and AD's refusal of a simple bind
// without encryption.
#include <catch2/catch.hpp>

#include "ad_test_helpers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

using namespace ad_test;
using Catch::Contains;

namespace {

// ldap://127.0.0.N for the DC's ldaps://127.0.0.N
std::string plain_url(const SambaDc& dc) {
  return "ldap://" + dc.url.substr(sizeof "ldaps://" - 1);
}

}  // namespace

TEST_CASE("connects to AD over ldaps checking the certificate against the CA", "[ad][connect]") {
  const SambaDc& dc = shared_samba();
  auto connector = connect(dc.connector_settings());
  CHECK_OK(connector->ping());
}

TEST_CASE("connects to AD with StartTLS on the plain port", "[ad][connect]") {
  const SambaDc& dc = shared_samba();
  auto settings = dc.connector_settings();
  settings.url = plain_url(dc);
  settings.tls = LdapSettings::Tls::starttls;
  auto connector = connect(settings);
  CHECK_OK(connector->ping());
}

TEST_CASE("an AD certificate from another CA is refused before the bind", "[ad][connect]") {
  const SambaDc& dc = shared_samba();
  ps::testing::TempDir other("ps-other-ca");
  auto settings = dc.connector_settings();
  settings.ca_file = ps::testing::make_test_certificates(other.path()).ca_file;
  auto connector = LdapConnector::connect(settings);
  REQUIRE_FALSE(connector);
  CHECK_THAT(connector.error(), Contains("cannot connect to " + dc.url) &&
                                    Contains("TLS handshake failed") && Contains(settings.ca_file));
}

TEST_CASE("AD refuses a simple bind without encryption", "[ad][connect]") {
  const SambaDc& dc = shared_samba();
  auto settings = dc.connector_settings();
  settings.url = plain_url(dc);
  settings.tls = LdapSettings::Tls::none;
  auto connector = LdapConnector::connect(settings);
  REQUIRE_FALSE(connector);
  CHECK_THAT(connector.error(), Contains("bind as " + dc.admin_dn + " failed") &&
                                    Contains("Transport encryption required"));
  CHECK_THAT(connector.error(), !Contains(dc.admin_password));
}
