// A scoped run's partial snapshot: every unit, shared account, system and unit grant, but only
// the accounts it asks for, the ones in its units, every custodian and the usernames that differ
// from theirs only in letter case, each with its own grants.
#include <catch2/catch.hpp>

#include <algorithm>

#include "store/database.h"
#include "store/dialect.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

void fill_portal(StoreTestDb& db) {
  db.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'), "
      "(2, 1, 'A01', '民政局'), (3, 2, 'A0101', '戶政科'), (4, 1, 'A02', '財政稅務局')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES "
      "(10, 'chen.yt', '陳雅婷', 4), (11, 'Chen.YT', '陳雅婷', 4), (12, 'lin.wei', '林偉', 4), "
      "(13, 'wang.xm', '王小明', 3), (14, 'huang.mh', '黃美華', 4), (15, 'o''neil', '歐尼爾', 4)");
  db.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (50, 'a02.office', 'agency', '財稅局公務', 4, 14)");
  db.exec("INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文', 'sys-edoc')");
  db.exec("INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1)");
  db.exec("INSERT INTO account_systems(account_id, system_id) VALUES (10, 1), (12, 1)");
}

// One unit (1, 市府) and accounts 1..count named user1..userN in it, then `more` rows as they are.
void fill_many(StoreTestDb& db, int count, const std::string& more = "") {
  db.exec("INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '市府')");
  std::string rows;
  for (int i = 1; i <= count; ++i)
    rows += (i > 1 ? ", (" : "(") + std::to_string(i) + ", 'user" + std::to_string(i) +
            "', '使用者', 1)";
  db.exec("INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES " + rows + more);
}

std::vector<RowId> ids_of(const PortalSnapshot& p) {
  std::vector<RowId> ids;
  for (const auto& a : p.accounts) ids.push_back(a.id);
  return ids;
}

}  // namespace

TEST_CASE("a partial snapshot holds the asked-for accounts and their namesakes",
          "[store][contract]") {
  StoreTestDb db;
  fill_portal(db);
  PartialSnapshotRequest want;
  want.accounts = {10};
  auto p = db.store->load_partial_snapshot(want);
  REQUIRE_OK(p);
  CHECK(p->partial);
  CHECK(p->account_count == 6);
  CHECK(p->total_accounts() == 6);
  // Chen.YT differs only in letter case; 14 is the custodian of shared account 50, which the row
  // checks look at whether it is asked for or not (else "custodian 14 is not in the directory").
  CHECK(ids_of(p.value()) == std::vector<RowId>{10, 11, 14});
  CHECK(p->units.size() == 4);
  CHECK(p->shared_accounts.size() == 1);
  CHECK(p->systems.size() == 1);
  CHECK(p->unit_systems.size() == 1);
  REQUIRE(p->account_systems.size() == 1);
  CHECK(p->account_systems[0].holder_id == 10);
}

TEST_CASE("a partial snapshot adds custodians and the accounts below a unit", "[store][contract]") {
  StoreTestDb db;
  fill_portal(db);
  PartialSnapshotRequest want;
  want.shared_accounts = {50};
  want.units = {2};  // 民政局 and 戶政科 below it
  auto p = db.store->load_partial_snapshot(want);
  REQUIRE_OK(p);
  CHECK(ids_of(p.value()) == std::vector<RowId>{13, 14});
}

TEST_CASE("a partial snapshot quotes usernames and ignores ids that do not exist",
          "[store][contract]") {
  StoreTestDb db;
  fill_portal(db);
  PartialSnapshotRequest want;
  want.accounts = {15, 99};
  auto p = db.store->load_partial_snapshot(want);
  REQUIRE_OK(p);
  REQUIRE(ids_of(p.value()) == std::vector<RowId>{14, 15});  // 14: a custodian
  CHECK(p->accounts[1].username() == "o'neil");
}

TEST_CASE("a partial snapshot reads many accounts in several statements", "[store][contract]") {
  StoreTestDb db;
  fill_many(db, 1200);
  PartialSnapshotRequest want;
  for (RowId id = 1; id <= 1200; id += 2) want.accounts.insert(id);
  auto p = db.store->load_partial_snapshot(want);
  REQUIRE_OK(p);
  REQUIRE(p->accounts.size() == 600);
  CHECK(std::is_sorted(p->accounts.begin(), p->accounts.end(),
                       [](const Account& a, const Account& b) { return a.id < b.id; }));
  CHECK(p->accounts.back().id == 1199);
}

// MariaDB reads a backslash in a string literal as an escape unless told otherwise: a username
// ending in \' once closed the literal early, so the rest of the name was read as SQL.
TEST_CASE("a partial snapshot takes backslashes in usernames as they are", "[store][contract]") {
  StoreTestDb db;
  fill_portal(db);
  std::string hostile = "b\\' OR 1=1 -- ";
  db.admin() << "INSERT INTO accounts(id, username, display_name, org_unit_id) "
                "VALUES (16, :u, '反斜線', 4)",
      soci::use(hostile);
  PartialSnapshotRequest want;
  want.accounts = {16};
  auto p = db.store->load_partial_snapshot(want);
  REQUIRE_OK(p);
  REQUIRE(ids_of(p.value()) == std::vector<RowId>{14, 16});  // 14: a custodian
  CHECK(p->accounts[1].username() == hostile);
}

// A journal run's namesake lookup goes through the index of folded usernames where the backend
// has it (SQLite, PostgreSQL), in lists small enough for PostgreSQL's planner to use it; the same
// accounts are found with the index dropped, in one list that scans.
TEST_CASE("namesakes are found through the index of folded usernames, and without it",
          "[store][contract]") {
  StoreTestDb db;
  // Namesakes at both ends of the names' order, so they fall in different lists.
  fill_many(
      db, 1500,
      ", (2001, 'USER1', '同名', 1), (2002, 'User999', '同名', 1), (2003, 'uSeR1499', '同名', 1)");
  PartialSnapshotRequest want;
  for (RowId id = 1; id <= 1500; ++id) want.accounts.insert(id);
  auto& sql = db.store->session();
  const auto& dialect = dialect_of(sql);
  bool indexed = test_portal_backend() != PortalBackend::mariadb;
  CHECK(dialect.has_index(sql, "accounts_username_folded") == indexed);
  if (indexed) {
    // The index's expression is the query's, or the planner would pass it by (on PostgreSQL a
    // table this small is scanned unless scans are ruled out).
    if (test_portal_backend() == PortalBackend::postgresql) sql << "SET enable_seqscan = off";
    std::string plan;
    soci::rowset<soci::row> explained =
        (sql.prepare << (test_portal_backend() == PortalBackend::sqlite ? "EXPLAIN QUERY PLAN "
                                                                        : "EXPLAIN ")
                     << "SELECT id FROM accounts WHERE " << dialect.fold_ascii("username")
                     << " IN ('user1', 'user2')");
    for (const auto& r : explained)
      for (std::size_t c = 0; c < r.size(); ++c) plan += column_text(r, c) + " ";
    CHECK_THAT(plan, Catch::Contains("accounts_username_folded"));
    if (test_portal_backend() == PortalBackend::postgresql) sql << "RESET enable_seqscan";
  }
  auto every_namesake_found = [&] {
    auto p = db.store->load_partial_snapshot(want);
    REQUIRE_OK(p);
    CHECK(p->accounts.size() == 1503);
    CHECK(p->accounts.back().id == 2003);
  };
  every_namesake_found();
  if (indexed) {
    db.exec("DROP INDEX accounts_username_folded");
    CHECK_FALSE(dialect.has_index(sql, "accounts_username_folded"));
    every_namesake_found();
  }
}
