// An initialised portal database with a store opened on it, and plain SQL access for setting up
// rows and checking what the store wrote. A SQLite file in a temp dir; with
// PS_TEST_PORTAL=postgresql or mariadb (the "postgresql:" and "mariadb:" runs of the [contract]
// tests, tests/CMakeLists.txt) a database of its own on the shared server instead, with the store
// connected as the least-privilege account portalsync, and exec/query_one as the superuser: the
// portal's writes and the tests' own looks at portalsync's tables.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/schema.h"
#include "store/soci_portal_store.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

// A database set up as docs/portal-schema.md says, or nullptr for another backend.
template <class Database>
std::unique_ptr<Database> test_server_database(PortalBackend backend) {
  if (test_portal_backend() != backend) return nullptr;
  return std::make_unique<Database>(
      [](const std::string& owner_url) { REQUIRE_OK(create_interface_tables(owner_url)); });
}

struct StoreTestDb {
  TempDir dir;
  std::unique_ptr<PostgresDatabase> server =
      test_server_database<PostgresDatabase>(PortalBackend::postgresql);
  std::unique_ptr<MariadbDatabase> mariadb =
      test_server_database<MariadbDatabase>(PortalBackend::mariadb);
  std::string path = dir.file("portal.db");
  std::string url = server ? server->url() : mariadb ? mariadb->url() : "sqlite3://db=" + path;
  std::unique_ptr<SociPortalStore> store;
  std::unique_ptr<soci::session> superuser;  // on a server only

  StoreTestDb() {
    REQUIRE_OK(init_portal_database(url));
    auto opened = SociPortalStore::open(url);
    REQUIRE_OK(opened);
    store = std::move(opened.value());
    if (server || mariadb) {
      auto session = open_database(server ? server->url("postgres") : mariadb->url("root"), true);
      REQUIRE_OK(session);
      superuser = std::move(session.value());
    }
  }

  soci::session& admin() { return superuser ? *superuser : store->session(); }

  // A session as the portal's own account (on a server only), which has no grant on
  // portalsync's schema or database.
  std::unique_ptr<soci::session> portal_session() {
    auto session =
        open_database(server ? server->url("portal_owner") : mariadb->url("portal_owner"), true);
    REQUIRE_OK(session);
    return std::move(session.value());
  }

  void exec(const std::string& sql) { admin() << sql; }
  // DDL on the portal's own tables, in the portal's database (on MariaDB the superuser's session
  // sees them through portalsync's views, which take no DDL).
  void portal_ddl(const std::string& sql) {
    if (mariadb)
      mariadb->sql(sql);
    else
      exec(sql);
  }

  // How the store's messages name this database.
  std::string label() const { return database_label(url); }

  // The first column of every row, joined with commas.
  std::string query_list(const std::string& sql) {
    std::string out;
    soci::rowset<soci::row> rows = (admin().prepare << sql);
    for (const auto& r : rows) out += (out.empty() ? "" : ",") + column_text(r, 0);
    return out;
  }

  // The first column of the first row as text ("" for NULL or no row).
  std::string query_one(const std::string& sql) {
    soci::rowset<soci::row> rows = (admin().prepare << sql);
    for (const auto& r : rows) return column_text(r, 0);
    return "";
  }

  // A unit (id 1, 'A00') and an account (id 1, 'chen') that most tests need.
  void seed_one_account() {
    exec("INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '臺南市政府')");
    exec(
        "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "
        "VALUES (1, 'chen', '陳雅婷', 1, 'enabled')");
  }
};

// A change-log record with the fields every record has.
inline ChangeRecord test_record(std::int64_t run_id, const std::string& operation) {
  ChangeRecord r;
  r.run_id = run_id;
  r.at = "2026-11-25T00:00:00Z";
  r.actor = "cli:test";
  r.operation = operation;
  r.subject_id = 1;
  r.subject_name = "chen";
  r.dn = "uid=chen,ou=臺南市政府,ou=portal";
  return r;
}

// A reserved disable of account 1 (chen, 離職) on 2026-12-01.
inline ScheduledChange disable_chen() {
  ScheduledChange c;
  c.account_id = 1;
  c.kind = "disable";
  c.reason = "離職";
  c.effective_at = "2026-12-01T00:00:00+08:00";
  c.requested_by = "admin";
  return c;
}

// The scheduled disable of account 1 (chen, 離職) as the rule decides it.
inline RuleDecision done_disable(RowId scheduled_change_id) {
  RuleDecision d;
  d.actor = "rule:scheduled";
  d.scheduled_change_id = scheduled_change_id;
  d.account_id = 1;
  d.username = "chen";
  d.category = "status change";
  d.state = ChangeState::done;
  d.outcome = "disabled (離職)";
  d.update.account_id = 1;
  d.update.status = "disabled";
  d.update.disabled_reason = "離職";
  return d;
}

}  // namespace ps::testing
