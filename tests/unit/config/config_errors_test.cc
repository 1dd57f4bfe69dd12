// Every class of configuration error, each naming file, line and key.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;
using Catch::Contains;

namespace {

// kMinimal without the line that holds `key`.
std::string without(const std::string& key) {
  auto yaml = kMinimal;
  auto start = yaml.find("  " + key + ":");
  return yaml.erase(start, yaml.find('\n', start) + 1 - start);
}

}  // namespace

TEST_CASE("a missing required key is reported at its section", "[config]") {
  ConfigFiles f;
  for (const char* key : {"url", "bind_dn", "bind_password_file", "base_dn"}) {
    auto c = f.load(without(key));
    REQUIRE_FALSE(c);
    CHECK(c.error() == f.at(3) + "directory." + key + ": is required");
  }
  auto no_db = f.load(without("database"));
  REQUIRE_FALSE(no_db);
  CHECK(no_db.error() == f.at(1) + "portal.database: is required");
}

TEST_CASE("a required key with an empty value is reported at its own line", "[config]") {
  ConfigFiles f;
  auto c = f.load(without("base_dn") + "  base_dn:\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(7) + "directory.base_dn: is required");
}

TEST_CASE("unknown keys are errors, with a hint when one is close", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  page_sise: 100\n  colour: blue\nsyncc:\n  window: 3\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(8) + "directory.page_sise: unknown key (did you mean page_size?)\n" +
                         f.at(9) + "directory.colour: unknown key\n" + f.at(10) +
                         "syncc: unknown key (did you mean sync?)");
}

TEST_CASE("a key written twice is an error", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  base_dn: \"ou=other,dc=example,dc=org\"\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(8) + "directory.base_dn: appears twice (first at line 7)");
}

TEST_CASE("a value outside its set names the choices", "[config]") {
  ConfigFiles f;
  auto tls = f.load(kMinimal + "  tls: ssl\n");
  REQUIRE_FALSE(tls);
  CHECK(tls.error() ==
        f.at(8) + "directory.tls: must be one of starttls, ldaps, none (got \"ssl\")");
  auto flavor = f.load(kMinimal + "  flavor: novell\n");
  REQUIRE_FALSE(flavor);
  CHECK(flavor.error() ==
        f.at(8) + "directory.flavor: must be one of openldap, ad (got \"novell\")");
  auto level = f.load(kMinimal + "log:\n  level: verbose\n");
  REQUIRE_FALSE(level);
  CHECK_THAT(level.error(), Contains(f.at(9) + "log.level: must be one of debug, info, notice"));
}

TEST_CASE("the apihost connector refuses the LDAP connection keys and needs its own", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  connector: apihost\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains(f.at(4) + "directory.url: is not used with connector: apihost"));
  CHECK_THAT(c.error(), Contains("directory.apihost: is required"));
}

TEST_CASE("an apihost directory section loads with its token read from the token file",
          "[config]") {
  ConfigFiles f;
  for (const char* name : {"ca.crt", "client.crt", "client.key"})
    write_file(f.dir.file(name), "PEM\n", 0600);
  write_file(f.dir.file("api.token"), "t0ken-value\n", 0600);
  auto c = f.load(
      "portal:\n  database: \"sqlite3://db=/var/lib/portalsync/portal.db\"\n"
      "directory:\n  connector: apihost\n  base_dn: \"OU=portal,DC=example,DC=org\"\n"
      "  apihost:\n    url: https://10.0.0.5:8651\n    ca_file: ca.crt\n"
      "    client_cert: client.crt\n    client_key: client.key\n    token_file: api.token\n");
  INFO((c ? "" : c.error()));
  REQUIRE(c);
  CHECK(c->directory.connector == "apihost");
  CHECK(c->directory.flavor == "ad");
  CHECK(c->directory.apihost.url == "https://10.0.0.5:8651");
  CHECK(c->directory.apihost.ca_file == f.dir.file("ca.crt"));
  CHECK(c->directory.apihost.token == "t0ken-value");
  auto http = f.load(
      "portal:\n  database: \"sqlite3://db=/x.db\"\n"
      "directory:\n  connector: apihost\n  base_dn: \"OU=p,DC=e\"\n"
      "  apihost:\n    url: http://10.0.0.5:8651\n    ca_file: ca.crt\n"
      "    client_cert: client.crt\n    client_key: client.key\n    token_file: api.token\n");
  REQUIRE_FALSE(http);
  CHECK_THAT(http.error(), Contains("directory.apihost.url: must start with https://"));
}

TEST_CASE("tls none needs allow_insecure", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  tls: none\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains(f.at(8) + "directory.tls: none sends the bind password in clear"));
  CHECK_THAT(c.error(), Contains("directory.allow_insecure: true"));
  auto explicit_no = f.load(kMinimal + "  tls: none\n  allow_insecure: false\n");
  REQUIRE_FALSE(explicit_no);
}

TEST_CASE("url and tls must agree", "[config]") {
  ConfigFiles f;
  auto ldaps_on_ldap = f.load(kMinimal + "  tls: ldaps\n");
  REQUIRE_FALSE(ldaps_on_ldap);
  CHECK(ldaps_on_ldap.error() ==
        f.at(8) + "directory.tls: ldaps needs an ldaps:// url (got \"ldap://127.0.0.1:389\")");

  std::string ldaps = kMinimal;
  ldaps.replace(ldaps.find("ldap://127.0.0.1:389"), 20, "ldaps://127.0.0.1:636");
  auto starttls_on_ldaps = f.load(ldaps + "  tls: starttls\n");
  REQUIRE_FALSE(starttls_on_ldaps);
  CHECK_THAT(starttls_on_ldaps.error(),
             Contains(f.at(8) + "directory.tls: starttls needs an ldap:// url"));
  auto none_on_ldaps = f.load(ldaps + "  tls: none\n  allow_insecure: true\n");
  REQUIRE_FALSE(none_on_ldaps);
  CHECK_THAT(none_on_ldaps.error(), Contains("none contradicts the ldaps:// url"));
}

TEST_CASE("urls, DNs, attribute names and connection strings are checked", "[config]") {
  ConfigFiles f;
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("ldap://127.0.0.1:389"), 20, "http://ldap.example.org");
  yaml.replace(yaml.find("ou=portal,dc=example,dc=org"), 27, "portal");
  yaml.replace(yaml.find("sqlite3://"), 10, "oracle://");
  auto c = f.load(yaml + "  groups_dn: groups\n  national_id_attribute: \"national id\"\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains(f.at(2) + "portal.database: must be a SOCI connection string "
                                           "starting with sqlite3://, postgresql:// or mysql://"));
  CHECK_THAT(c.error(), Contains(f.at(4) + "directory.url: must start with ldap:// or ldaps:// "
                                           "(got \"http://ldap.example.org\")"));
  CHECK_THAT(c.error(), Contains(f.at(7) + "directory.base_dn: must be a DN"));
  CHECK_THAT(c.error(), Contains(f.at(8) + "directory.groups_dn: must be a DN"));
  CHECK_THAT(c.error(), Contains(f.at(9) + "directory.national_id_attribute: must be an LDAP "
                                           "attribute name"));
}

TEST_CASE("numbers outside their range are errors", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal +
                  "  page_size: 5001\n  timeout_seconds: 0\nsync:\n  window: 1025\n"
                  "  interval_seconds: 0\n  max_disables: -1\n  max_disable_percent: 101\n"
                  "  guard_floor: 99999999999999999999\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(8) + "directory.page_size: must be between 1 and 5000 (got 5001)\n" +
                         f.at(9) +
                         "directory.timeout_seconds: must be between 1 and 600 (got 0)\n" +
                         f.at(11) + "sync.window: must be between 1 and 1024 (got 1025)\n" +
                         f.at(12) + "sync.interval_seconds: must be between 1 and 86400 (got 0)\n" +
                         f.at(13) + "sync.max_disables: must be at least 0 (got -1)\n" + f.at(14) +
                         "sync.max_disable_percent: must be between 0 and 100 (got 101)\n" +
                         f.at(15) + "sync.guard_floor: is too large (got 99999999999999999999)");
}

TEST_CASE("a value of the wrong type says what was expected and what was found", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal +
                  "  page_size: \"many\"\n  timeout_seconds: 2.5\n  allow_insecure: maybe\n"
                  "  upn_suffix: [a, b]\nsync:\n  window: {size: 3}\nlog: debug\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() ==
        f.at(8) + "directory.page_size: must be a whole number (got \"many\")\n" + f.at(9) +
            "directory.timeout_seconds: must be a whole number (got \"2.5\")\n" + f.at(10) +
            "directory.allow_insecure: must be true or false (got \"maybe\")\n" + f.at(11) +
            "directory.upn_suffix: must be a string (got a list)\n" + f.at(13) +
            "sync.window: must be a whole number (got a mapping)\n" + f.at(14) +
            "log: must be a mapping of keys (got \"debug\")");
}

TEST_CASE("a YAML syntax error names file and line", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "sync:\n  window: 3\n   interval_seconds: 5\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Catch::StartsWith(f.at(10) + "YAML syntax error: "));
  auto unclosed = f.load("portal:\n  database: [unclosed\n");
  REQUIRE_FALSE(unclosed);
  CHECK_THAT(unclosed.error(), Catch::Matches(".*c\\.yaml:[0-9]+: YAML syntax error: .*"));
}

TEST_CASE("a file that is missing, empty or not a mapping is refused", "[config]") {
  ConfigFiles f;
  auto missing = load_config(f.dir.file("nothing.yaml"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error() ==
        "cannot read " + f.dir.file("nothing.yaml") + ": No such file or directory");
  auto directory = load_config(f.dir.path());
  REQUIRE_FALSE(directory);
  CHECK(directory.error() == f.dir.path() + " is not a regular file");
  auto empty = f.load("# nothing but a comment\n");
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(), Contains("c.yaml: is empty"));
  auto list = f.load("- portal\n- directory\n");
  REQUIRE_FALSE(list);
  CHECK(list.error() == f.at(1) + "must be a mapping of sections (portal, directory, ...)");
}

TEST_CASE("a second YAML document is refused rather than ignored", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "---\nlog:\n  level: debug\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Contains("holds more than one YAML document (---); keep only one"));
}

TEST_CASE("a tab in the indentation is named as the cause", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "\tpage_size: 100\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), Catch::StartsWith(f.at(8) + "YAML syntax error: "));
  CHECK_THAT(c.error(), Contains("indent with spaces, not tabs"));
}

TEST_CASE("a dotted key is pointed at its nested spelling", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "sync.window: 3\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() ==
        f.at(8) + "sync.window: unknown key (write it nested: window indented under sync:)");
}

TEST_CASE("an empty directory section lists each required key", "[config]") {
  ConfigFiles f;
  auto c =
      f.load("portal:\n  database: \"sqlite3://db=portal.db\"\ndirectory:\nlog:\n  level: info\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(3) + "directory.url: is required\n" + f.at(3) +
                         "directory.bind_dn: is required\n" + f.at(3) +
                         "directory.bind_password_file: is required\n" + f.at(3) +
                         "directory.base_dn: is required");
}

TEST_CASE("a section that is not a mapping gets one message", "[config]") {
  ConfigFiles f;
  auto c = f.load("portal:\n  database: \"sqlite3://db=portal.db\"\ndirectory: [ldap]\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(3) + "directory: must be a mapping of keys (got a list)");
}

TEST_CASE("all errors are reported together, in file order", "[config]") {
  ConfigFiles f;
  auto c = f.load("log:\n  level: loud\n" + without("url") + "  tls: ssl\nsync:\n  windw: 3\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(2) + "log.level: must be one of debug, info, notice, warning, error " +
                         "(got \"loud\")\n" + f.at(5) + "directory.url: is required\n" + f.at(9) +
                         "directory.tls: must be one of starttls, ldaps, none (got \"ssl\")\n" +
                         f.at(11) + "sync.windw: unknown key (did you mean window?)");
}

TEST_CASE("lock_policy_dn must be a DN and is for the openldap flavor only", "[config][lock]") {
  ConfigFiles f;
  auto ok = f.load(kMinimal + "  lock_policy_dn: \"cn=lock,ou=policies,dc=example,dc=org\"\n");
  REQUIRE(ok);
  CHECK(ok->directory.lock_policy_dn == "cn=lock,ou=policies,dc=example,dc=org");
  auto bad = f.load(kMinimal + "  lock_policy_dn: portalsync-lock\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error(), Contains("directory.lock_policy_dn: must be a DN"));
  auto ad = f.load(kMinimal + "  flavor: ad\n  lock_policy_dn: \"cn=lock,dc=example,dc=org\"\n");
  REQUIRE_FALSE(ad);
  CHECK_THAT(ad.error(), Contains("directory.lock_policy_dn: is for flavor: openldap only"));
}
