// Loading and validating the YAML configuration: defaults, every class of error with file, line and
// key, and secrets that never show up in a message.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("a minimal config loads with defaults and a relative secret path", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal);
  REQUIRE(c);
  CHECK(c->directory.tls == TlsMode::starttls);
  CHECK(c->directory.flavor == "openldap");
  CHECK(c->directory.bind_password == "s3cret-value");
  CHECK(c->directory.bind_password_file == f.dir.file("bind.secret"));
  CHECK(c->sync.window == 32);
  CHECK(c->sync.max_disables == 500);
  CHECK(c->policies.idle_disable.after_days == 90);
  CHECK(c->warnings.empty());
}

TEST_CASE("errors name file, line and key, several at once", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  tls: ssl\n  page_size: 0\nsync:\n  window: many\n  widnow: 3\n");
  REQUIRE_FALSE(c);
  auto file = f.dir.file("c.yaml");
  CHECK_THAT(c.error(),
             Catch::Contains(
                 file + ":8: directory.tls: must be one of starttls, ldaps, none (got \"ssl\")"));
  CHECK_THAT(c.error(),
             Catch::Contains(file + ":9: directory.page_size: must be between 1 and 5000"));
  CHECK_THAT(c.error(), Catch::Contains(file + ":11: sync.window: must be a whole number"));
  CHECK_THAT(c.error(), Catch::Contains("sync.widnow: unknown key (did you mean window?)"));
}

TEST_CASE("plain LDAP needs allow_insecure, and url and tls must agree", "[config]") {
  ConfigFiles f;
  auto none = f.load(kMinimal + "  tls: none\n");
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error(), Catch::Contains("allow_insecure"));
  CHECK(f.load(kMinimal + "  tls: none\n  allow_insecure: true\n"));
  auto mismatch = f.load(kMinimal + "  tls: ldaps\n");
  REQUIRE_FALSE(mismatch);
  CHECK_THAT(mismatch.error(), Catch::Contains("ldaps needs an ldaps:// url"));
}

TEST_CASE("secrets come from files only and never appear in a message", "[config]") {
  ConfigFiles f;
  auto inline_password = f.load(kMinimal + "  bind_password: hunter2\n");
  REQUIRE_FALSE(inline_password);
  CHECK_THAT(inline_password.error(), Catch::Contains("put the password in a file"));
  CHECK_THAT(inline_password.error(), !Catch::Contains("hunter2"));

  write_file(f.dir.file("bind.secret"), "", 0600);
  auto empty = f.load(kMinimal);
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(), Catch::Contains("bind.secret is empty"));

  write_file(f.dir.file("bind.secret"), "s3cret-value", 0644);
  auto readable = f.load(kMinimal);
  REQUIRE(readable);
  REQUIRE(readable->warnings.size() == 1);
  CHECK_THAT(readable->warnings[0], Catch::Contains("chmod 600"));

  auto missing = f.load(kMinimal + "  ca_file: nowhere.pem\n");
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error(), Catch::Contains("directory.ca_file: cannot read"));
  CHECK_THAT(missing.error(), !Catch::Contains("s3cret-value"));
}

TEST_CASE("a YAML syntax error and missing sections are reported with their place", "[config]") {
  ConfigFiles f;
  auto broken = f.load("portal:\n  database: [unclosed\n");
  REQUIRE_FALSE(broken);
  CHECK_THAT(broken.error(), Catch::Contains(f.dir.file("c.yaml") + ":"));
  auto empty = f.load("log:\n  level: debug\n");
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(), Catch::Contains("portal.database: is required"));
  CHECK_THAT(empty.error(), Catch::Contains("directory: is required"));
  auto idle = f.load(kMinimal +
                     "policies:\n  idle_disable:\n    after_days: 30\n    exempt_roles: [boss]\n");
  REQUIRE_FALSE(idle);
  CHECK_THAT(idle.error(),
             Catch::Contains("\"boss\" is not one of user, agency_admin, system_admin"));
}
