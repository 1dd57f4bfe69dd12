// The change journal's triggers: every insert, update and delete of an interface row is captured
// once, whoever writes it, and updates that change nothing the sync reads are not.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

using Entries = std::vector<std::string>;

namespace {

struct TableCase {
  std::string table;
  std::string insert, update, remove;
  Entries expected;
};

// Each statement touches one row; grants have no other column, so their update changes the key.
std::vector<TableCase> table_cases() {
  return {
      {"org_units",
       "INSERT INTO org_units(id, code, name) VALUES (10, 'B00', '乙')",
       "UPDATE org_units SET name = '丙' WHERE id = 10",
       "DELETE FROM org_units WHERE id = 10",
       {"org_units:10:-:insert", "org_units:10:-:update", "org_units:10:-:delete"}},
      {"accounts",
       "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (10, 'lin', '林', 1)",
       "UPDATE accounts SET title = '科員' WHERE id = 10",
       "DELETE FROM accounts WHERE id = 10",
       {"accounts:10:-:insert", "accounts:10:-:update", "accounts:10:-:delete"}},
      {"shared_accounts",
       "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
       "VALUES (10, 'box', 'mail', '信箱', 1, 1)",
       "UPDATE shared_accounts SET status = 'disabled' WHERE id = 10",
       "DELETE FROM shared_accounts WHERE id = 10",
       {"shared_accounts:10:-:insert", "shared_accounts:10:-:update",
        "shared_accounts:10:-:delete"}},
      {"systems",
       "INSERT INTO systems(id, code, name, group_name) VALUES (10, 'edoc', '公文', 'sys-edoc')",
       "UPDATE systems SET group_name = 'sys-doc' WHERE id = 10",
       "DELETE FROM systems WHERE id = 10",
       {"systems:10:-:insert", "systems:10:-:update", "systems:10:-:delete"}},
      {"org_unit_systems",
       "INSERT INTO org_unit_systems VALUES (1, 10)",
       "UPDATE org_unit_systems SET system_id = 11",
       "DELETE FROM org_unit_systems",
       {"org_unit_systems:1:10:insert", "org_unit_systems:1:10:delete",
        "org_unit_systems:1:11:insert", "org_unit_systems:1:11:delete"}},
      {"account_systems",
       "INSERT INTO account_systems VALUES (1, 10)",
       "UPDATE account_systems SET account_id = 2",
       "DELETE FROM account_systems",
       {"account_systems:1:10:insert", "account_systems:1:10:delete", "account_systems:2:10:insert",
        "account_systems:2:10:delete"}},
      {"scheduled_changes",
       "INSERT INTO scheduled_changes(id, account_id, kind, reason, effective_at, requested_by) "
       "VALUES (10, 1, 'disable', '離職', '2026-12-01', 'admin')",
       "UPDATE scheduled_changes SET state = 'cancelled' WHERE id = 10",
       "DELETE FROM scheduled_changes WHERE id = 10",
       {"scheduled_changes:10:1:insert", "scheduled_changes:10:1:update",
        "scheduled_changes:10:1:delete"}},
  };
}

}  // namespace

TEST_CASE("inserts, updates and deletes of every interface table are journaled",
          "[journal][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  for (const auto& c : table_cases()) {
    SECTION(c.table) {
      auto head = journal_head(db);
      db.exec(c.insert);
      db.exec(c.update);
      db.exec(c.remove);
      CHECK(journal_after(db, head) == c.expected);
      auto entries = db.store->read_journal(head, 10);
      REQUIRE_OK(entries);
      for (const auto& e : entries.value())
        CHECK_THAT(e.changed_at, Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
    }
  }
}

TEST_CASE("an update that changes nothing the sync reads is not journaled", "[journal][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  db.portal_ddl("ALTER TABLE accounts ADD COLUMN portal_theme TEXT");  // the portal's own column
  REQUIRE_OK(init_portal_database(db.url));  // on MariaDB: portalsync's views show it
  auto head = journal_head(db);
  db.exec(
      "UPDATE accounts SET last_login_at = '2026-11-25T09:00:00+08:00', "
      "updated_at = '2026-11-25T09:00:00+08:00', activated_at = '2026-01-02' WHERE id = 1");
  db.exec("UPDATE accounts SET portal_theme = 'dark' WHERE id = 1");
  db.exec("UPDATE accounts SET title = title, status = 'enabled' WHERE id = 1");  // same values
  db.exec("UPDATE org_units SET name = '臺南市政府' WHERE id = 1");
  CHECK(journal_after(db, head).empty());

  db.exec("UPDATE accounts SET email = NULL WHERE id = 1");  // NULL to NULL: still no change
  CHECK(journal_after(db, head).empty());
  db.exec("UPDATE accounts SET email = 'chen@tainan.gov.tw' WHERE id = 1");  // NULL to a value
  db.exec("UPDATE accounts SET email = NULL, last_login_at = '2026-11-26' WHERE id = 1");
  CHECK(journal_after(db, head) == Entries{"accounts:1:-:update", "accounts:1:-:update"});
}

TEST_CASE("an update of a row's id journals the old row deleted and the new one inserted",
          "[journal][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  auto head = journal_head(db);
  db.exec("UPDATE accounts SET id = 50, title = '科長' WHERE id = 1");
  CHECK(journal_after(db, head) == Entries{"accounts:1:-:delete", "accounts:50:-:insert"});
}

TEST_CASE("a bulk statement journals one entry per changed row, in one transaction",
          "[journal][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (2, 'lin', '林', 1)");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "
      "VALUES (3, 'wang', '王', 1, 'disabled')");
  auto head = journal_head(db);
  db.exec("UPDATE accounts SET status = 'disabled'");  // 3 already is
  CHECK(journal_after(db, head) == Entries{"accounts:1:-:update", "accounts:2:-:update"});
  {
    soci::transaction tx(db.admin());
    db.exec("DELETE FROM accounts WHERE id = 1");
    tx.rollback();
  }
  CHECK(journal_after(db, head).size() == 2);  // rolled back with the change
}

TEST_CASE("writes through a plain sqlite3 connection are journaled, its insert ids intact",
          "[journal]") {
  StoreTestDb db;
  db.seed_one_account();
  auto head = journal_head(db);
  sqlite3* portal = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &portal) == SQLITE_OK);
  CHECK(sqlite3_exec(portal,
                     "INSERT INTO accounts(username, display_name, org_unit_id) "
                     "VALUES ('lin', '林', 1)",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
  // The portal's ORM reads back the id of the row it inserted, not the journal entry's.
  CHECK(sqlite3_last_insert_rowid(portal) == 2);
  CHECK(sqlite3_changes(portal) == 1);
  CHECK(sqlite3_exec(portal, "DELETE FROM account_systems", nullptr, nullptr, nullptr) ==
        SQLITE_OK);
  sqlite3_close(portal);
  CHECK(journal_after(db, head) == Entries{"accounts:2:-:insert"});
}

TEST_CASE("portalsync's own writes to interface tables are journaled too", "[journal][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  std::vector<ScheduledChange> rows{disable_chen(), disable_chen()};
  auto head = journal_head(db);
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  CHECK(rows[0].id == 1);  // the store's insert ids are the rows', not the journal's
  CHECK(rows[1].id == 2);

  auto d = done_disable(1);
  REQUIRE_OK(db.store->record_decision(d, test_record(0, "disable")));
  // The store sets status and disabled_reason in two statements: each is journaled.
  CHECK(journal_after(db, head) ==
        Entries{"scheduled_changes:1:1:insert", "scheduled_changes:2:1:insert",
                "scheduled_changes:1:1:update", "accounts:1:-:update", "accounts:1:-:update"});
}

TEST_CASE("REPLACE drops the row it displaces silently unless recursive triggers are on",
          "[journal]") {
  StoreTestDb db;
  db.seed_one_account();
  auto head = journal_head(db);
  // SQLite fires delete triggers for the rows REPLACE removes only with recursive_triggers.
  db.exec(
      "INSERT OR REPLACE INTO accounts(id, username, display_name, org_unit_id) "
      "VALUES (2, 'chen', '陳', 1)");
  CHECK(journal_after(db, head) == Entries{"accounts:2:-:insert"});
  db.exec("PRAGMA recursive_triggers = ON");
  db.exec(
      "INSERT OR REPLACE INTO accounts(id, username, display_name, org_unit_id) "
      "VALUES (3, 'chen', '陳', 1)");
  CHECK(journal_after(db, head) ==
        Entries{"accounts:2:-:insert", "accounts:2:-:delete", "accounts:3:-:insert"});
  // An upsert is an update.
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (4, 'chen', '陳', "
      "1) ON CONFLICT(username) DO UPDATE SET title = '科員'");
  CHECK(journal_after(db, head).back() == "accounts:3:-:update");
}
