// `portalsync db init` and opening the store: the schema, its version, a portal that created its
// tables itself, the connection's settings, and clear refusals.
#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "store/schema_migrations.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("db init creates every table, records the version and can run again", "[store]") {
  StoreTestDb db;
  db.seed_one_account();
  for (const auto& table : interface_tables())
    CHECK(db.query_one("SELECT count(*) FROM sqlite_master WHERE name = '" + table.name + "'") ==
          "1");
  for (const char* table : {"ps_links", "ps_runs", "ps_change_log", "ps_holds",
                            "ps_audit_checkpoints", "ps_change_journal", "ps_schema_version"})
    CHECK(db.query_one(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table +
                       "'") == "1");
  CHECK(db.query_list("SELECT version FROM ps_schema_version") == std::to_string(kSchemaVersion));

  REQUIRE_OK(init_portal_database(db.url));
  REQUIRE_OK(init_portal_database(db.url));
  CHECK(db.query_list("SELECT version FROM ps_schema_version") == std::to_string(kSchemaVersion));
  CHECK(db.query_one("SELECT display_name FROM accounts WHERE id = 1") == "陳雅婷");
}

TEST_CASE("a database of a newer schema version is refused by init and by open",
          "[store][contract]") {
  StoreTestDb db;
  db.exec("UPDATE ps_schema_version SET version = 99");
  auto init = init_portal_database(db.url);
  REQUIRE_FALSE(init);
  CHECK(init.message() == "portal database " + db.label() +
                              ": schema version 99 is newer than this build knows (" +
                              std::to_string(kSchemaVersion) + "); upgrade portalsync");
  auto opened = SociPortalStore::open(db.url);
  REQUIRE_FALSE(opened);
  CHECK_THAT(opened.error(), Catch::Contains("schema version 99 is newer than this build knows"));
  CHECK(db.query_one("SELECT version FROM ps_schema_version") == "99");  // init changed nothing
}

TEST_CASE("open explains a missing file, an uninitialised database and a foreign file", "[store]") {
  TempDir dir;
  auto missing = SociPortalStore::open("sqlite3://db=" + dir.file("nope.db"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == "portal database " + dir.file("nope.db") +
                               " does not exist: create it with `portalsync db init --database "
                               "sqlite3://db=" +
                               dir.file("nope.db") + "`");
  CHECK_FALSE(std::filesystem::exists(dir.file("nope.db")));  // not created as a side effect

  write_file(dir.file("empty.db"), "");
  auto empty = SociPortalStore::open("sqlite3://db=" + dir.file("empty.db"));
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(), Catch::Contains(dir.file("empty.db") + " has no portalsync schema: "
                                                                   "run `portalsync db init"));

  write_file(dir.file("notes.txt"), std::string(4096, 'x'));
  auto foreign = SociPortalStore::open("sqlite3://db=" + dir.file("notes.txt"));
  REQUIRE_FALSE(foreign);
  CHECK_THAT(foreign.error(), Catch::StartsWith("portal database " + dir.file("notes.txt")));
  CHECK_THAT(foreign.error(), Catch::Contains("not a database"));

  auto other = SociPortalStore::open("oracle://db=portal");
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error(), Catch::Contains("only sqlite3://, postgresql:// and mysql:// are "
                                            "supported by this build"));

  // No server there: the message names the database, and a password given anyway stays hidden.
  auto absent = SociPortalStore::open(
      "postgresql://host=127.0.0.1 port=1 dbname=portal user=portalsync password=s3cret");
  REQUIRE_FALSE(absent);
  CHECK_THAT(absent.error(), Catch::StartsWith("portal database postgresql://host=127.0.0.1 "
                                               "port=1 dbname=portal user=portalsync "
                                               "password=(hidden): "));
  CHECK_THAT(absent.error(), !Catch::Contains("s3cret"));
}

TEST_CASE("interface tables the portal created are adopted, or their missing columns named",
          "[store]") {
  TempDir dir;
  auto url = "sqlite3://db=" + dir.file("portal.db");
  {
    soci::session sql(soci::sqlite3, "db=" + dir.file("portal.db"));
    sql << "CREATE TABLE org_units (id INTEGER PRIMARY KEY, parent_id INTEGER, code TEXT, "
           "name TEXT, active INTEGER, portal_note TEXT)";
    sql << "INSERT INTO org_units VALUES (1, NULL, 'A00', '臺南市政府', 1, 'kept')";
    sql << "CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT, display_name TEXT, "
           "org_unit_id INTEGER, role TEXT, status TEXT, locked INTEGER, email TEXT)";
  }
  auto init = init_portal_database(url);
  REQUIRE_FALSE(init);
  CHECK_THAT(init.message(),
             Catch::Contains("table accounts has no column surname, given_name, title, "
                             "needs_mail, office_phone, mobile, national_id, last_login_at, "
                             "activated_at, disabled_reason, updated_at"));
  CHECK_THAT(init.message(), Catch::Contains("docs/portal-schema.md"));
  {
    soci::session sql(soci::sqlite3, "db=" + dir.file("portal.db"));
    int tables = 0;
    sql << "SELECT count(*) FROM sqlite_master WHERE name = 'ps_schema_version'",
        soci::into(tables);
    CHECK(tables == 0);  // all or nothing
    // Nor a trigger: one naming a missing column would make the portal's writes fail.
    sql << "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", soci::into(tables);
    CHECK(tables == 0);
    sql << "DROP TABLE accounts";
  }
  REQUIRE_OK(init_portal_database(url));
  auto store = SociPortalStore::open(url);
  REQUIRE_OK(store);
  auto portal = store.value()->load_snapshot();
  REQUIRE_OK(portal);
  REQUIRE(portal->units.size() == 1);
  CHECK(portal->units[0].name == "臺南市政府");
}

TEST_CASE("the store's connection: WAL, synchronous FULL, busy timeout, foreign keys off",
          "[store]") {
  StoreTestDb db;
  CHECK(db.query_one("PRAGMA journal_mode") == "wal");
  CHECK(db.query_one("PRAGMA synchronous") == "2");  // FULL
  CHECK(db.query_one("PRAGMA busy_timeout") == "5000");
  CHECK(db.query_one("PRAGMA foreign_keys") == "0");
}

TEST_CASE("the interface tables take rows the engine must be able to reject", "[store][contract]") {
  StoreTestDb db;
  // No CHECK constraints, no enforced references: the portal's write succeeds, the engine
  // reports the row.
  CHECK_NOTHROW(
      db.exec("INSERT INTO accounts(id, username, display_name, org_unit_id, role, status) "
              "VALUES (7, 'odd', '怪', 42, 'root', 'frozen')"));
  CHECK_NOTHROW(
      db.exec("INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 99, 'X', 'x')"));
  CHECK_NOTHROW(
      db.exec("INSERT INTO shared_accounts(username, kind, display_name, org_unit_id, "
              "custodian_id, status) VALUES ('box', 'printer', '箱', 77, 88, 'gone')"));
  CHECK(db.query_one("SELECT count(*) FROM accounts") == "1");
}
