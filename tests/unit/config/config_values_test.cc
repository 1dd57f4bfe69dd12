// What a valid configuration turns into: every default, every key read into the struct, the
// example shipped in config/examples, and the conveniences (empty sections, tls from the url).
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"
#include "tests/support/build_paths.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("every key left out takes its documented default", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal);
  REQUIRE(c);
  CHECK(c->source == f.config_path());
  CHECK(c->portal.database == "sqlite3://db=/var/lib/portalsync/portal.db");
  const auto& d = c->directory;
  CHECK(d.connector == "ldap");
  CHECK(d.flavor == "openldap");
  CHECK(d.url == "ldap://127.0.0.1:389");
  CHECK(d.tls == TlsMode::starttls);
  CHECK_FALSE(d.allow_insecure);
  CHECK(d.ca_file.empty());
  CHECK(d.bind_dn == "cn=admin,dc=example,dc=org");
  CHECK(d.base_dn == "ou=portal,dc=example,dc=org");
  CHECK(d.page_size == 500);
  CHECK(d.timeout_seconds == 30);
  CHECK(d.national_id_attribute.empty());
  CHECK(d.upn_suffix.empty());
  CHECK(d.groups_dn.empty());
  CHECK(c->sync.window == 32);
  CHECK(c->sync.interval_seconds == 3600);
  CHECK(c->sync.max_disables == 500);
  CHECK(c->sync.max_disable_percent == 10);
  CHECK(c->sync.guard_floor == 10);
  CHECK(c->log.level == "info");
  CHECK(c->warnings.empty());
}

TEST_CASE("every key is read into the struct", "[config]") {
  ConfigFiles f;
  write_file(f.dir.file("ca.pem"), "-----BEGIN CERTIFICATE-----\n", 0644);
  auto c = f.load(R"(portal:
  database: "postgresql://dbname=portal host=db.example.org"
directory:
  connector: ldap
  flavor: ad
  url: "ldaps://dc1.example.org"
  tls: ldaps
  ca_file: ca.pem
  bind_dn: "svc-portalsync@example.org"
  bind_password_file: bind.secret
  base_dn: "OU=Portal,DC=example,DC=org"
  page_size: 1000
  timeout_seconds: 5
  national_id_attribute: employeeNumber
  upn_suffix: "@example.org"
  groups_dn: "OU=Groups,DC=example,DC=org"
sync:
  window: 64
  interval_seconds: 300
  max_disables: 0
  max_disable_percent: 100
  guard_floor: 0
log:
  level: debug
)");
  REQUIRE(c);
  const auto& d = c->directory;
  CHECK(c->portal.database == "postgresql://dbname=portal host=db.example.org");
  CHECK(d.flavor == "ad");
  CHECK(d.tls == TlsMode::ldaps);
  CHECK(d.ca_file == f.dir.file("ca.pem"));
  CHECK(d.bind_dn == "svc-portalsync@example.org");  // AD binds may use a UPN, not a DN
  CHECK(d.page_size == 1000);
  CHECK(d.timeout_seconds == 5);
  CHECK(d.national_id_attribute == "employeeNumber");
  CHECK(d.upn_suffix == "@example.org");
  CHECK(d.groups_dn == "OU=Groups,DC=example,DC=org");
  CHECK(c->sync.window == 64);
  CHECK(c->sync.interval_seconds == 300);
  CHECK(c->sync.max_disables == 0);
  CHECK(c->sync.max_disable_percent == 100);
  CHECK(c->sync.guard_floor == 0);
  CHECK(c->log.level == "debug");
}

TEST_CASE("tls follows the url when it is not set", "[config]") {
  ConfigFiles f;
  auto plain = f.load(kMinimal);
  REQUIRE(plain);
  CHECK(plain->directory.tls == TlsMode::starttls);

  std::string ldaps = kMinimal;
  ldaps.replace(ldaps.find("ldap://127.0.0.1:389"), 20, "ldaps://127.0.0.1:636");
  auto secure = f.load(ldaps);
  REQUIRE(secure);
  CHECK(secure->directory.tls == TlsMode::ldaps);
}

TEST_CASE("plain LDAP is accepted with allow_insecure", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  tls: none\n  allow_insecure: true\n");
  REQUIRE(c);
  CHECK(c->directory.tls == TlsMode::none);
  CHECK(c->directory.allow_insecure);
}

TEST_CASE("optional sections and keys may be empty", "[config]") {
  ConfigFiles f;
  // Every key of a section commented out leaves "sync:" with nothing under it.
  auto c = f.load(kMinimal + "  ca_file:\n  national_id_attribute:\nsync:\nlog:\n");
  REQUIRE(c);
  CHECK(c->directory.ca_file.empty());
  CHECK(c->sync.window == 32);
  CHECK(c->log.level == "info");
}

TEST_CASE("the shipped example is valid", "[config]") {
  ConfigFiles f;
  auto example = read_file(ps::testing::source_dir() + "/config/examples/portalsync.yaml");
  REQUIRE_FALSE(example.empty());
  // Point its /etc/portalsync files into the test directory.
  for (auto at = example.find("/etc/portalsync/"); at != std::string::npos;
       at = example.find("/etc/portalsync/", at))
    example.replace(at, 16, f.dir.path() + "/");
  write_file(f.dir.file("ca.pem"), "-----BEGIN CERTIFICATE-----\n", 0644);
  auto c = f.load(example);
  REQUIRE(c);
  CHECK(c->warnings.empty());
  CHECK(c->directory.tls == TlsMode::starttls);
  CHECK(c->directory.bind_password == kSecret);
}
