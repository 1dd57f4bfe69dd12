// The files a configuration names: the bind password (read at load time, never shown), the CA
// file, and relative paths, which are relative to the configuration file.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "config/config.h"
#include "config_fixture.h"

using namespace ps;
using namespace ps::testing;
using Catch::Contains;

TEST_CASE("the bind password is read without its trailing newline", "[config]") {
  ConfigFiles f;
  write_file(f.dir.file("bind.secret"), kSecret + "\r\n", 0600);
  auto c = f.load(kMinimal);
  REQUIRE(c);
  CHECK(c->directory.bind_password == kSecret);
  write_file(f.dir.file("bind.secret"), kSecret, 0600);
  CHECK(f.load(kMinimal)->directory.bind_password == kSecret);
  write_file(f.dir.file("bind.secret"), " spaces count ", 0600);
  CHECK(f.load(kMinimal)->directory.bind_password == " spaces count ");
}

TEST_CASE("a bind password file that cannot be used names the file, never its content",
          "[config]") {
  ConfigFiles f;
  const auto secret_file = f.dir.file("bind.secret");
  const auto where = f.at(6) + "directory.bind_password_file: ";

  std::filesystem::remove(secret_file);
  auto missing = f.load(kMinimal);
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == where + "cannot read " + secret_file + ": No such file or directory");

  write_file(secret_file, "", 0600);
  auto empty = f.load(kMinimal);
  REQUIRE_FALSE(empty);
  CHECK(empty.error() == where + secret_file + " is empty");

  write_file(secret_file, "\n", 0600);
  auto blank = f.load(kMinimal);
  REQUIRE_FALSE(blank);
  CHECK(blank.error() == where + secret_file + " is empty");

  write_file(secret_file, kSecret + "\nsecond-line\n", 0600);
  auto two_lines = f.load(kMinimal);
  REQUIRE_FALSE(two_lines);
  CHECK(two_lines.error() == where + secret_file +
                                 " holds more than one line; it must hold only "
                                 "the password");

  std::filesystem::remove(secret_file);
  std::filesystem::create_directory(secret_file);
  auto directory = f.load(kMinimal);
  REQUIRE_FALSE(directory);
  CHECK(directory.error() == where + secret_file + " is not a regular file");
}

TEST_CASE("a password written into the configuration is refused without echoing it", "[config]") {
  ConfigFiles f;
  auto c = f.load(kMinimal + "  bind_password: \"hunter2-inline\"\n");
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(8) +
                         "directory.bind_password: put the password in a file and name it in "
                         "directory.bind_password_file");
  CHECK_THAT(c.error(), !Contains("hunter2-inline"));
}

TEST_CASE("no error message shows the bind password", "[config]") {
  ConfigFiles f;
  // Every error the directory section can produce, with a readable secret file in place.
  auto c = f.load(kMinimal +
                  "  tls: none\n  ca_file: missing.pem\n  page_size: 0\n  connector: apihost\n"
                  "  groups_dn: x\n  bind_password: also-secret\n");
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error(), !Contains(kSecret));
  CHECK_THAT(c.error(), !Contains("also-secret"));
  // The secret file given as the CA file, or the config file itself as the password file.
  auto swapped = f.load(kMinimal + "  ca_file: bind.secret\n  tls: ldaps\n");
  REQUIRE_FALSE(swapped);
  CHECK_THAT(swapped.error(), !Contains(kSecret));
}

TEST_CASE("a database password in the connection string is refused without echoing it",
          "[config]") {
  ConfigFiles f;
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("sqlite3://db=/var/lib/portalsync/portal.db"), 42,
               "postgresql://dbname=portal user=sync Password=pg-secret");
  auto c = f.load(yaml);
  REQUIRE_FALSE(c);
  CHECK(c.error() == f.at(2) +
                         "portal.database: must not hold a password; put it in a file and name it "
                         "with passfile=FILE");
  CHECK_THAT(c.error(), !Contains("pg-secret"));
}

TEST_CASE("a MariaDB password in the connection string is refused without echoing it", "[config]") {
  ConfigFiles f;
  for (const std::string param : {"password=my-secret", "pass=my-secret", "PASS=my-secret"}) {
    std::string yaml = kMinimal;
    yaml.replace(yaml.find("sqlite3://db=/var/lib/portalsync/portal.db"), 42,
                 "mysql://db=portal user=sync " + param);
    auto c = f.load(yaml);
    REQUIRE_FALSE(c);
    CHECK(c.error() == f.at(2) +
                           "portal.database: must not hold a password; put it in a MariaDB option "
                           "file and name it with option_file=FILE");
    CHECK_THAT(c.error(), !Contains("my-secret"));
  }
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("sqlite3://db=/var/lib/portalsync/portal.db"), 42,
               "mysql://db=portal option_file=/etc/portalsync/mariadb.cnf");
  CHECK(f.load(yaml));
}

TEST_CASE("a secret file others can read is accepted with a warning", "[config]") {
  ConfigFiles f;
  for (int mode : {0640, 0604, 0644}) {
    write_file(f.dir.file("bind.secret"), kSecret, mode);
    auto c = f.load(kMinimal);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == f.at(6) + "directory.bind_password_file: " + f.dir.file("bind.secret") +
                                " can be read by other users; chmod 600 it (it holds the bind "
                                "password)");
    CHECK_THAT(c->warnings[0], !Contains(kSecret));
  }
  write_file(f.dir.file("bind.secret"), kSecret, 0400);
  CHECK(f.load(kMinimal)->warnings.empty());
}

TEST_CASE("the CA file must exist and be a readable file", "[config]") {
  ConfigFiles f;
  auto missing = f.load(kMinimal + "  ca_file: /nonexistent/ca.pem\n");
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == f.at(8) +
                               "directory.ca_file: cannot read /nonexistent/ca.pem: No such file "
                               "or directory");
  auto directory = f.load(kMinimal + "  ca_file: " + f.dir.path() + "\n");
  REQUIRE_FALSE(directory);
  CHECK(directory.error() ==
        f.at(8) + "directory.ca_file: " + f.dir.path() + " is not a regular file");
}

TEST_CASE("relative paths are relative to the configuration file", "[config]") {
  ConfigFiles f;
  std::filesystem::create_directory(f.dir.file("etc"));
  std::filesystem::create_directory(f.dir.file("secrets"));
  write_file(f.dir.file("secrets/bind.secret"), kSecret, 0600);
  write_file(f.dir.file("secrets/ca.pem"), "-----BEGIN CERTIFICATE-----\n", 0644);
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("\"bind.secret\""), 13, "../secrets/bind.secret");
  yaml.replace(yaml.find("/var/lib/portalsync/portal.db"), 29, "../data/portal.db");
  write_file(f.dir.file("etc/portalsync.yaml"), yaml + "  ca_file: ../secrets/ca.pem\n");

  // Loaded by a relative name from somewhere else, as `portalsync check-config -c etc/...` would.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(f.dir.path());
  auto c = load_config("etc/portalsync.yaml");
  std::filesystem::current_path(cwd);
  REQUIRE(c);
  CHECK(c->directory.bind_password_file == f.dir.file("secrets/bind.secret"));
  CHECK(c->directory.ca_file == f.dir.file("secrets/ca.pem"));
  CHECK(c->directory.bind_password == kSecret);
  CHECK(c->portal.database == "sqlite3://db=" + f.dir.file("data/portal.db"));
}

TEST_CASE("database connection strings resolve only sqlite file names", "[config]") {
  ConfigFiles f;
  auto database_for = [&](const std::string& connection) {
    std::string yaml = kMinimal;
    yaml.replace(yaml.find("sqlite3://db=/var/lib/portalsync/portal.db"), 42, connection);
    auto c = f.load(yaml);
    return c ? c->portal.database : c.error();
  };
  CHECK(database_for("sqlite3://portal.db") == "sqlite3://" + f.dir.file("portal.db"));
  CHECK(database_for("sqlite3://db=portal.db timeout=5") ==
        "sqlite3://db=" + f.dir.file("portal.db") + " timeout=5");
  CHECK(database_for("sqlite3://db=:memory:") == "sqlite3://db=:memory:");
  CHECK(database_for("postgresql://dbname=portal host=db") == "postgresql://dbname=portal host=db");
}
