// Reading and trimming the change journal through the store, and what the triggers cost a bulk
// update.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "store/journal_triggers.h"
#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

using Entries = std::vector<std::string>;

namespace {

void add_units(StoreTestDb& db, int count) {
  for (int id = 1; id <= count; ++id)
    db.exec("INSERT INTO org_units(id, code, name) VALUES (" + std::to_string(id) + ", 'U" +
            std::to_string(id) + "', '單位" + std::to_string(id) + "')");
}

// A session writing as the portal does: its own account on a server, a second connection to
// the SQLite file.
std::unique_ptr<soci::session> open_portal_writer(StoreTestDb& db) {
  if (db.server || db.mariadb) return db.portal_session();
  auto session = open_database(db.url, true);
  REQUIRE_OK(session);
  return std::move(session.value());
}

struct Cost {
  double wall_ms = 0, cpu_ms = 0;  // CPU time is less disturbed by other work on the machine
};

// Each account's title set one row at a time, as a portal would, all in one transaction.
Cost retitle(StoreTestDb& db, const std::string& title) {
  auto& sql = db.store->session();
  auto wall = std::chrono::steady_clock::now();
  auto cpu = std::clock();
  soci::transaction tx(sql);
  long long id = 0;
  soci::statement st = (sql.prepare << "UPDATE accounts SET title = :t WHERE id = :i",
                        soci::use(title), soci::use(id));
  for (id = 1; id <= 10000; ++id) st.execute(true);
  tx.commit();
  return {
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count(),
      1000.0 * static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC};
}

}  // namespace

TEST_CASE("the journal is read after an id in bounded batches, oldest first",
          "[journal][contract]") {
  StoreTestDb db;
  CHECK(journal_head(db) == 0);
  CHECK(journal_after(db).empty());
  add_units(db, 5);
  auto head = journal_head(db);
  CHECK(head == 5);

  auto first = db.store->read_journal(0, 2);
  REQUIRE_OK(first);
  REQUIRE(first->size() == 2);
  CHECK(describe(first->front()) == "org_units:1:-:insert");
  CHECK(describe(first->at(1)) == "org_units:2:-:insert");
  auto rest = db.store->read_journal(first->back().id, 100);
  REQUIRE_OK(rest);
  REQUIRE(rest->size() == 3);
  CHECK(rest->back().id == head);
  CHECK(journal_after(db, head).empty());

  auto zero = db.store->read_journal(0, 0);
  REQUIRE_FALSE(zero);
  CHECK(zero.error() == "change journal: a read needs a limit above 0, not 0");
}

TEST_CASE("trimming removes entries up to an id, and ids are never reused", "[journal][contract]") {
  StoreTestDb db;
  add_units(db, 5);
  auto trimmed = db.store->trim_journal(3);
  REQUIRE_OK(trimmed);
  CHECK(trimmed.value() == 3);
  CHECK(journal_after(db) == Entries{"org_units:4:-:insert", "org_units:5:-:insert"});
  CHECK(journal_head(db) == 5);

  trimmed = db.store->trim_journal(5);
  REQUIRE_OK(trimmed);
  CHECK(trimmed.value() == 2);
  CHECK(journal_after(db).empty());
  CHECK(journal_head(db) == 0);  // nothing held; the next id is still 6
  db.exec("DELETE FROM org_units WHERE id = 1");
  auto next = db.store->read_journal(5, 10);  // a reader's cursor from before the trim
  REQUIRE_OK(next);
  REQUIRE(next->size() == 1);
  CHECK(next->front().id == 6);
  CHECK(journal_head(db) == 6);
  CHECK(describe(next->front()) == "org_units:1:-:delete");
  trimmed = db.store->trim_journal(5);  // nothing left up to 5
  REQUIRE_OK(trimmed);
  CHECK(trimmed.value() == 0);
}

// A sequence (PostgreSQL) or AUTO_INCREMENT (MariaDB) hands out ids to transactions that have not
// committed. A head that counted those let a full run that read the portal before such a commit
// trim its entries after it: the change stayed out of the directory until the next full run
// (two nodes, "partitioned silently", failed so on both servers under load).
TEST_CASE(
    "the journal's head never covers an entry another transaction has not committed, and a "
    "trim does not wait for it",
    "[journal][contract]") {
  StoreTestDb db;
  add_units(db, 2);
  REQUIRE(journal_head(db) == 2);
  auto portal = open_portal_writer(db);
  soci::transaction writing(*portal);
  *portal << "INSERT INTO org_units(id, code, name) VALUES (3, 'U3', '單位3')";
  auto head = journal_head(db);
  CHECK(head == 2);
  // On a server the trim does not wait for that transaction either (InnoDB's range scan once
  // did); SQLite has one writer at a time, so there it comes after the commit.
  bool server = db.server || db.mariadb;
  if (server) REQUIRE_OK(db.store->trim_journal(head));
  writing.commit();
  if (!server) REQUIRE_OK(db.store->trim_journal(head));
  CHECK(journal_after(db) == Entries{"org_units:3:-:insert"});
  CHECK(journal_head(db) == 3);
}

// A run over an empty journal trims up to 0; on MariaDB a DELETE of "id < 0" scans from the
// first row, and waited 50 s for a portal transaction that had written it.
TEST_CASE("trimming an empty journal does not wait for a portal transaction",
          "[journal][contract]") {
  StoreTestDb db;
  auto portal = open_portal_writer(db);
  soci::transaction writing(*portal);
  *portal << "INSERT INTO org_units(id, code, name) VALUES (1, 'U1', '單位1')";
  auto head = journal_head(db);
  REQUIRE(head == 0);
  auto trimmed = db.store->trim_journal(head);
  REQUIRE_OK(trimmed);
  CHECK(trimmed.value() == 0);
  writing.commit();
  CHECK(journal_after(db) == Entries{"org_units:1:-:insert"});
}

TEST_CASE("entries the triggers did not write read as an unknown table or an update",
          "[journal][contract]") {
  StoreTestDb db;
  db.exec(
      "INSERT INTO ps_change_journal(table_name, row_id, operation, changed_at) "
      "VALUES ('printers', 4, 'truncate', '2026-11-25T00:00:00.000Z')");
  auto entries = db.store->read_journal(0, 10);
  REQUIRE_OK(entries);
  REQUIRE(entries->size() == 1);
  CHECK(entries->front().table == JournalTable::unknown);
  CHECK(entries->front().op == JournalOp::update);
  CHECK(affected_objects(entries.value()).unknown_table);
}

TEST_CASE("a bulk update of 10,000 accounts journals 10,000 entries at a measured cost",
          "[journal]") {
  StoreTestDb db;
  add_units(db, 1);
  {
    soci::transaction tx(db.store->session());
    for (int id = 1; id <= 10000; ++id)
      db.exec("INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (" +
              std::to_string(id) + ", 'user" + std::to_string(id) + "', '使用者', 1)");
    tx.commit();
  }
  auto head = journal_head(db);

  // Warm the cache, then time the same work with and without the accounts' update triggers.
  retitle(db, "科員");
  auto trimmed_up_to = journal_head(db);
  auto trimmed = db.store->trim_journal(trimmed_up_to);
  REQUIRE_OK(trimmed);
  CHECK(trimmed.value() == 10001 + 10000);  // one unit, 10,000 inserts, 10,000 updates
  head = trimmed_up_to;
  auto with = retitle(db, "科長");
  auto entries = db.store->read_journal(head, 20000);
  REQUIRE_OK(entries);
  CHECK(entries->size() == 10000);
  CHECK(affected_objects(entries.value()).accounts.size() == 10000);

  for (const auto& t : journal_triggers())
    if (t.table == "accounts") db.exec("DROP TRIGGER " + t.name);
  auto without = retitle(db, "專員");
  std::printf(
      "change journal: 10,000 single-row account updates in one transaction: %.0f ms "
      "(%.0f ms CPU) with the triggers, %.0f ms (%.0f ms CPU) without: %.1f us per row\n",
      with.wall_ms, with.cpu_ms, without.wall_ms, without.cpu_ms,
      (with.wall_ms - without.wall_ms) * 1000 / 10000);
  CHECK(journal_head(db) == head + 10000);  // nothing more journaled without them
}
