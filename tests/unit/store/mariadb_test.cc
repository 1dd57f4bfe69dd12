// What only a MariaDB portal database can get wrong: the two accounts of docs/portal-schema.md
// (the portal's writes need no grant on portalsync's database; the triggers' definer), the
// default collation that ignores letter case and trailing spaces, the session's time zone, the
// run lock, the password kept out of the connection string. Hidden tag: they run in the
// "mariadb:" pass only (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include "store/database_lock.h"
#include "store/sample/sample_portal.h"
#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

namespace {

std::string own_database(StoreTestDb& db) { return db.mariadb->name() + "_portalsync"; }

}  // namespace

TEST_CASE(
    "on MariaDB the portal's account writes and journals without any grant on portalsync's "
    "database",
    "[.mariadb]") {
  StoreTestDb db;
  CHECK(db.mariadb->sql("SHOW GRANTS FOR 'portal_owner'@'%'").find(own_database(db)) ==
        std::string::npos);
  auto portal = db.portal_session();
  *portal << "INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '臺南市政府')";
  *portal << "INSERT INTO accounts(id, username, display_name, org_unit_id) "
             "VALUES (1, 'chen', '陳雅婷', 1)";
  *portal << "UPDATE accounts SET title = '科長' WHERE id = 1";
  *portal << "DELETE FROM accounts WHERE id = 1";
  CHECK(journal_after(db) == std::vector<std::string>{"org_units:1:-:insert", "accounts:1:-:insert",
                                                      "accounts:1:-:update",
                                                      "accounts:1:-:delete"});
  // The triggers run as portalsync's account, which db init used.
  CHECK(db.mariadb->sql("SELECT DISTINCT DEFINER FROM information_schema.TRIGGERS WHERE "
                        "TRIGGER_SCHEMA = DATABASE()") == "portalsync@%\n");
}

TEST_CASE("on MariaDB a portal write fails once a trigger's definer is dropped", "[.mariadb]") {
  // Why docs/portal-schema.md says portalsync's account must outlive its triggers: MariaDB's
  // behaviour, shown with a throwaway definer so portalsync's own account stays.
  StoreTestDb db;
  auto definer = "'gone_" + db.mariadb->name() + "'@'%'";
  db.mariadb->sql("CREATE USER " + definer + "; GRANT ALL ON " + own_database(db) + ".* TO " +
                  definer + "; GRANT SELECT, TRIGGER ON " + db.mariadb->name() + ".systems TO " +
                  definer + "; CREATE DEFINER = " + definer +
                  " TRIGGER ps_extra AFTER INSERT ON systems FOR EACH ROW INSERT INTO " +
                  own_database(db) +
                  ".ps_change_journal(table_name, row_id, operation, changed_at) VALUES "
                  "('systems', NEW.id, 'insert', 'x')");
  auto portal = db.portal_session();
  *portal << "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'mail', 'Mail', 'mail')";
  db.mariadb->sql("DROP USER " + definer);
  std::string error;
  try {
    *portal << "INSERT INTO systems(id, code, name, group_name) VALUES (2, 'hr', 'HR', 'hr')";
  } catch (const std::exception& e) {
    error = e.what();
  }
  CHECK(error.find("definer") != std::string::npos);
}

TEST_CASE(
    "on MariaDB a grant missing from portalsync's account fails in one line naming the "
    "table",
    "[.mariadb]") {
  StoreTestDb db;
  db.seed_one_account();
  db.mariadb->sql("REVOKE UPDATE (status) ON " + db.mariadb->name() +
                  ".accounts FROM 'portalsync'@'%'");
  auto decision = done_disable(0);
  auto st = db.store->record_decision(decision, test_record(0, "disable"));
  db.mariadb->sql("GRANT UPDATE (status) ON " + db.mariadb->name() +
                  ".accounts TO 'portalsync'@'%'");
  REQUIRE_FALSE(st);
  INFO(st.message());
  CHECK(st.message().find("accounts") != std::string::npos);
  // Through portalsync's view MariaDB says "definer/invoker of view lack rights", not "denied".
  CHECK(st.message().find("lack rights") != std::string::npos);
  CHECK(st.message().find('\n') == std::string::npos);
  CHECK(st.message().find("option_file=") != std::string::npos);  // which database: the URL
  CHECK(st.message().find("w#rd") == std::string::npos);          // never the password
  CHECK(db.query_one("SELECT status FROM accounts WHERE id = 1") == "enabled");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "0");  // the record rolled back too
}

TEST_CASE("on MariaDB usernames that differ only in letter case or a trailing space are distinct",
          "[.mariadb]") {
  StoreTestDb db;  // its database's default collation is utf8mb4_general_ci
  CHECK(db.query_one("SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ('" +
                     db.mariadb->name() + "', '" + own_database(db) +
                     "') AND CHARACTER_SET_NAME IS NOT NULL AND COLLATION_NAME <> "
                     "'utf8mb4_nopad_bin'") == "0");
  db.exec("INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '臺南市政府')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(1, 'chen', '陳', 1, 'enabled'), (2, 'Chen', '陳', 1, 'enabled'), "
      "(3, 'chen ', '陳', 1, 'enabled')");
  auto snapshot = db.store->load_snapshot();
  REQUIRE_OK(snapshot);
  REQUIRE(snapshot->accounts.size() == 3);
  // A change of letter case alone is a change.
  auto head = journal_head(db);
  db.exec("UPDATE accounts SET display_name = 'CHEN' WHERE id = 1");
  db.exec("UPDATE accounts SET display_name = 'chen' WHERE id = 1");
  CHECK(journal_after(db, head) ==
        std::vector<std::string>{"accounts:1:-:update", "accounts:1:-:update"});
  // A partial snapshot finds every ASCII namesake, and only those.
  PartialSnapshotRequest want;
  want.accounts = {1};
  auto partial = db.store->load_partial_snapshot(want);
  REQUIRE_OK(partial);
  CHECK(partial->accounts.size() == 2);  // chen and Chen, not "chen "
}

TEST_CASE(
    "on MariaDB text is ordered by bytes in a portal table with a case-insensitive "
    "collation",
    "[.mariadb]") {
  StoreTestDb db;
  db.mariadb->sql(
      "ALTER TABLE scheduled_changes MODIFY effective_at VARCHAR(40) CHARACTER SET "
      "utf8mb4 COLLATE utf8mb4_general_ci NOT NULL");
  db.seed_one_account();
  db.exec(
      "INSERT INTO scheduled_changes(id, account_id, kind, reason, effective_at, requested_by) "
      "VALUES (1, 1, 'disable', 'a', '2026-12-01t00:00:00z', 'admin'), "
      "(2, 1, 'disable', 'b', '2026-12-01T00:00:00Z', 'admin')");
  // The collation calls the two equal.
  CHECK(db.mariadb->sql("SELECT count(DISTINCT effective_at) FROM scheduled_changes") == "1\n");
  auto changes = db.store->load_scheduled_changes();
  REQUIRE_OK(changes);
  REQUIRE(changes->size() == 2);
  CHECK(changes->front().id == 2);  // 'T' (0x54) before 't' (0x74), as on SQLite
}

TEST_CASE("on MariaDB the journal's times are UTC whatever the session's time zone", "[.mariadb]") {
  StoreTestDb db;
  auto portal = db.portal_session();
  *portal << "SET time_zone = '+08:00'";
  *portal << "INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '臺南市政府')";
  auto entries = db.store->read_journal(0, 10);
  REQUIRE_OK(entries);
  REQUIRE(entries->size() == 1);
  const auto& at = entries->front().changed_at;
  CHECK(at.size() == 24);
  CHECK(at.back() == 'Z');
  auto utc_hour = db.query_one("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H')");
  CHECK(at.substr(0, 13) == utc_hour);  // flaky only in the second an hour turns
}

TEST_CASE("on MariaDB the run lock is held by one connection at a time and freed with it",
          "[.mariadb]") {
  StoreTestDb db;
  auto first = take_database_run_lock(db.url);
  REQUIRE_OK(first);
  auto second = take_database_run_lock(db.url);
  REQUIRE_FALSE(second);
  CHECK(second.code() == StatusCode::conflict);
  CHECK(second.error().find("another sync is running") != std::string::npos);
  first.value().reset();
  CHECK(take_database_run_lock(db.url));
}

TEST_CASE("on MariaDB a missing option file or a wrong password is one line without the password",
          "[.mariadb]") {
  StoreTestDb db;
  auto missing = open_database(db.url + ".missing", true);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("cannot read the MariaDB option file") != std::string::npos);
  TempDir dir;
  write_file(dir.file("wrong.cnf"), "[client]\nuser=portalsync\npassword=wrong\n", 0600);
  auto url = db.url.substr(0, db.url.find("option_file=")) + "option_file=" + dir.file("wrong.cnf");
  auto wrong = open_database(url, true);
  REQUIRE_FALSE(wrong);
  INFO(wrong.error());
  CHECK(wrong.error().find("Access denied for user 'portalsync'") != std::string::npos);
  CHECK(wrong.error().find("wrong") == wrong.error().find("wrong.cnf"));  // only the file's name
  CHECK(wrong.error().find('\n') == std::string::npos);
}

TEST_CASE("on MariaDB db sample fills the portal's tables through a DBA's account", "[.mariadb]") {
  // portalsync's own account may not insert accounts; a DBA's sees both databases.
  StoreTestDb db;
  SampleOptions options;
  options.accounts = 200;
  options.units = 20;
  REQUIRE_FALSE(write_sample_portal(db.url, options));
  REQUIRE_OK(write_sample_portal(db.mariadb->url("root"), options));
  auto p = db.store->load_snapshot();
  REQUIRE_OK(p);
  CHECK(p->accounts.size() >= 200);
  CHECK(p->units.size() == 20);
}
