// The API host's configuration file: the idempotency section (retention of the records).
#include <catch2/catch.hpp>

#include "daemon/apihost/host_config.h"
#include "tests/support/temp_dir.h"

using namespace ps;
using ps::testing::TempDir;
using ps::testing::write_file;

namespace {

struct HostFiles {
  TempDir dir{"ps-apihost-config"};
  HostFiles() {
    for (const char* name : {"server.crt", "server.key", "clients-ca.crt", "ad-ca.crt"})
      write_file(dir.file(name), "-----BEGIN X-----\n");
    write_file(dir.file("bind.secret"), "s3cret\n", 0600);
  }
  // Seventeen lines of a valid file: appended keys start at line 18.
  // `directory_extra`: more keys of the directory section (shifting the lines after it).
  Result<apihost::HostConfig> load(const std::string& extra,
                                   const std::string& directory_extra = "") const {
    write_file(dir.file("apihost.yaml"), R"(apihost:
  listen: "127.0.0.1:8651"
  tls_cert: server.crt
  tls_key: server.key
  client_ca: clients-ca.crt
  allowed_base_dn: "OU=portal,DC=example,DC=org"
  database: requests.db
  tokens:
    - name: portal-sync
      sha256: 0000000000000000000000000000000000000000000000000000000000000000
directory:
  url: ldaps://dc1.example.org
  ca_file: ad-ca.crt
  bind_dn: "CN=svc,DC=example,DC=org"
  bind_password_file: bind.secret
)" + directory_extra + R"(log:
  level: info
)" + extra);
    return apihost::load_host_config(dir.file("apihost.yaml"));
  }
};

}  // namespace

TEST_CASE("apihost config: idempotency.retain_days defaults to 30, 0 keeps every record",
          "[apihost][config]") {
  HostFiles files;
  auto defaults = files.load("");
  INFO((defaults ? "" : defaults.error()));
  REQUIRE(defaults);
  CHECK(defaults->retain_days == 30);
  CHECK(files.load("idempotency:\n  retain_days: 90\n")->retain_days == 90);
  CHECK(files.load("idempotency:\n  retain_days: 0\n")->retain_days == 0);
}

TEST_CASE("apihost config: a bad idempotency section names the file, line and key",
          "[apihost][config]") {
  HostFiles files;
  auto where = files.dir.file("apihost.yaml") + ":19: idempotency.";
  CHECK_THAT(files.load("idempotency:\n  retain_days: -1\n").error(),
             Catch::StartsWith(where + "retain_days: "));
  CHECK_THAT(files.load("idempotency:\n  retain_days: soon\n").error(),
             Catch::StartsWith(where + "retain_days: must be a whole number"));
  CHECK_THAT(files.load("idempotency:\n  retain_day: 30\n").error(),
             Catch::Contains("retain_day: unknown key (did you mean retain_days?)"));
}

TEST_CASE("apihost config: directory.tls is read as in portalsync's directory section",
          "[apihost][config]") {
  HostFiles files;
  auto ldaps = files.load("");
  REQUIRE(ldaps);
  CHECK(ldaps->directory.tls == LdapSettings::Tls::ldaps);
  CHECK(ldaps->directory.flavor == Flavor::ad);
  CHECK(ldaps->directory.anchor_attribute == "objectGUID");
  // It was ignored: a tls contradicting the url is refused, plain LDAP needs the opt-in.
  CHECK_THAT(files.load("", "  tls: starttls\n").error(),
             Catch::Contains("directory.tls: starttls needs an ldap:// url"));
  CHECK_THAT(files.load("", "  tls: none\n").error(),
             Catch::Contains("directory.tls: none contradicts the ldaps:// url"));
}
