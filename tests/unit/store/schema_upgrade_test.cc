// Upgrading a database that an older build created (version 1, before the change journal), and
// the journal's triggers reinstalled after the portal rebuilt a table.
#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>

#include "store/journal_triggers.h"
#include "store/schema.h"
#include "store/schema_migrations.h"
#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

namespace {

// What `db init` of a version 1 build left, with a unit, an account and a grant in it.
void create_version_1(const std::string& path) {
  soci::session sql(soci::sqlite3, "db=" + path);
  for (const auto& table : interface_tables())
    for (const auto& ddl : table.ddl) sql << ddl;
  for (const auto& ddl : schema_migrations().at(0)) sql << ddl;
  sql << "INSERT INTO ps_schema_version(version) VALUES (1)";
  sql << "INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '臺南市政府')";
  sql << "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "
         "VALUES (1, 'chen', '陳雅婷', 1, 'enabled')";
  sql << "INSERT INTO account_systems VALUES (1, 2)";
  sql << "INSERT INTO ps_links VALUES ('account', 1, 'uuid-chen')";
}

int trigger_count(StoreTestDb& db) {
  return std::stoi(db.query_one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
}

}  // namespace

TEST_CASE("a version 1 database is refused until db init migrates it, keeping its rows",
          "[store]") {
  TempDir dir;
  auto path = dir.file("portal.db");
  auto url = "sqlite3://db=" + path;
  create_version_1(path);

  auto old = SociPortalStore::open(url);
  REQUIRE_FALSE(old);
  CHECK(old.error() == "portal database " + path + ": schema version 1, this build needs " +
                           std::to_string(kSchemaVersion) + ": " +
                           "run `portalsync db init --database " + url + "` to migrate");

  REQUIRE_OK(init_portal_database(url));
  auto opened = SociPortalStore::open(url);
  REQUIRE_OK(opened);
  auto portal = opened.value()->load_snapshot();
  REQUIRE_OK(portal);
  REQUIRE(portal->accounts.size() == 1);
  CHECK(portal->accounts[0].display_name() == "陳雅婷");
  CHECK(portal->account_systems.size() == 1);
  auto links = opened.value()->load_links();
  REQUIRE_OK(links);
  CHECK(links->size() == 1);

  // Rows from before the upgrade are not journaled; changes after it are.
  auto head = opened.value()->journal_head();
  REQUIRE_OK(head);
  CHECK(head.value() == 0);
  opened.value()->session() << "UPDATE accounts SET status = 'disabled' WHERE id = 1";
  auto entries = opened.value()->read_journal(0, 10);
  REQUIRE_OK(entries);
  REQUIRE(entries->size() == 1);
  CHECK(describe(entries->front()) == "accounts:1:-:update");
}

TEST_CASE("db init installs every journal trigger once and reinstalls lost ones", "[store]") {
  StoreTestDb db;
  auto expected = static_cast<int>(journal_triggers().size());
  CHECK(expected == 26);  // 4 for each table with columns besides its key, 3 for each grant table
  CHECK(trigger_count(db) == expected);
  REQUIRE_OK(init_portal_database(db.url));
  CHECK(trigger_count(db) == expected);

  // The way many migration tools alter a SQLite table: copy, drop the original, rename.
  db.seed_one_account();
  db.exec("CREATE TABLE accounts_new AS SELECT * FROM accounts");
  db.exec("DROP TABLE accounts");
  db.exec("ALTER TABLE accounts_new RENAME TO accounts");
  db.exec("DROP TRIGGER ps_journal_systems_update");
  auto refused = SociPortalStore::open(db.url);
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == "portal database " + db.label() +
                               ": the change-capture triggers on accounts, systems are missing "
                               "(rebuilding a table drops them): run `portalsync db init "
                               "--database " +
                               db.url + "` to reinstall them");

  REQUIRE_OK(init_portal_database(db.url));
  CHECK(trigger_count(db) == expected);
  REQUIRE_OK(SociPortalStore::open(db.url));
  auto head = journal_head(db);
  db.exec("UPDATE accounts SET title = '科員' WHERE id = 1");
  CHECK(journal_after(db, head) == std::vector<std::string>{"accounts:1:-:update"});
}
