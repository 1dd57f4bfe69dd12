// The SOCI/SQLite portal store: schema and version, loading rows as they are (bad ones included),
// links, the change log, scheduled changes and the sample generator.
#include <catch2/catch.hpp>

#include "store/sample_portal.h"
#include "store/schema.h"
#include "store/soci_portal_store.h"
#include "tests/support/temp_dir.h"

using namespace ps;
using namespace ps::testing;

namespace {

struct Db {
  TempDir dir;
  std::string url = "sqlite3://db=" + dir.file("portal.db");
  std::unique_ptr<SociPortalStore> store;
  Db() {
    REQUIRE(init_portal_database(url));
    auto s = SociPortalStore::open(url);
    REQUIRE(s);
    store = std::move(s.value());
  }
  void exec(const std::string& sql) { store->session() << sql; }
};

}  // namespace

TEST_CASE("db init is idempotent and a missing or uninitialised database is explained", "[store]") {
  Db db;
  CHECK(init_portal_database(db.url));
  TempDir other;
  auto missing = SociPortalStore::open("sqlite3://db=" + other.file("nope.db"));
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error(),
             Catch::Contains("does not exist: create it with `portalsync db init"));
  write_file(other.file("empty.db"), "");
  auto empty = SociPortalStore::open("sqlite3://db=" + other.file("empty.db"));
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(), Catch::Contains("has no portalsync schema"));
  db.exec("UPDATE ps_schema_version SET version = 99");
  auto newer = init_portal_database(db.url);
  REQUIRE_FALSE(newer);
  CHECK_THAT(newer.message(), Catch::Contains("newer than this build knows"));
}

TEST_CASE("rows load as stored: NULLs as empty, Chinese text, bad values for the engine to reject",
          "[store]") {
  Db db;
  db.exec("INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status, locked) "
      "VALUES (1, 'chen', '陳雅婷', 1, 'enabled', 1), (2, 'odd', '怪', 42, 'frozen', 0)");
  auto p = db.store->load_snapshot();
  REQUIRE(p);
  REQUIRE(p->units.size() == 1);
  CHECK_FALSE(p->units[0].parent_id);
  REQUIRE(p->accounts.size() == 2);
  CHECK(p->accounts[0].display_name == "陳雅婷");
  CHECK(p->accounts[0].locked);
  CHECK(p->accounts[0].title.empty());
  CHECK(p->accounts[1].status == "frozen");
  CHECK(p->accounts[1].org_unit_id == 42);
}

TEST_CASE("links upsert and remove, the change log records intents and outcomes", "[store]") {
  Db db;
  REQUIRE(db.store->save_links(
      {{ObjectKind::account, 1, "uuid-a"}, {ObjectKind::org_unit, 1, "uuid-u"}}, {}));
  REQUIRE(
      db.store->save_links({{ObjectKind::account, 1, "uuid-b"}}, {{ObjectKind::org_unit, 1, ""}}));
  auto links = db.store->load_links();
  REQUIRE(links);
  REQUIRE(links->size() == 1);
  CHECK(links->at(0).anchor == "uuid-b");

  auto run = db.store->begin_run("cli:test", "2026-11-25T00:00:00Z", "sync");
  REQUIRE(run);
  ChangeRecord r;
  r.run_id = run.value();
  r.at = "2026-11-25T00:00:00Z";
  r.actor = "cli:test";
  r.operation = "add";
  r.dn = "uid=chen,ou=portal";
  std::vector<ChangeRecord> intents{r, r};
  REQUIRE(db.store->record_intents(intents));
  CHECK(intents[1].id == intents[0].id + 1);
  REQUIRE(db.store->record_outcomes({{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"}}));
  auto next = db.store->begin_run("cli:test", "2026-11-25T00:01:00Z", "sync");
  auto marked = db.store->mark_interrupted(next.value(), "outcome unknown");
  REQUIRE(marked);
  CHECK(marked.value() == 1);
}

TEST_CASE("scheduled changes are added in one transaction and cancelled only while pending",
          "[store]") {
  Db db;
  db.exec("INSERT INTO org_units(id, code, name) VALUES (1, 'A00', '市府')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (1, 'chen', '陳', 1)");
  ScheduledChange c;
  c.account_id = 1;
  c.kind = "disable";
  c.reason = "離職";
  c.effective_at = "2026-12-01T00:00:00+08:00";
  c.requested_by = "admin";
  std::vector<ScheduledChange> rows{c};
  REQUIRE(db.store->add_scheduled_changes(rows));
  CHECK(rows[0].id == 1);
  ChangeRecord record;
  record.at = "2026-11-25T00:00:00Z";
  record.actor = "cli:test";
  record.operation = "cancel";
  record.result = "done";
  REQUIRE(db.store->cancel_scheduled_change(1, record));
  auto again = db.store->cancel_scheduled_change(1, record);
  REQUIRE_FALSE(again);
  CHECK_THAT(again.message(),
             Catch::Contains("is cancelled, only pending changes can be cancelled"));
}

TEST_CASE("the sample portal is deterministic, sized as asked and refuses a non-empty database",
          "[store]") {
  Db a, b;
  SampleOptions options;
  options.accounts = 500;
  options.units = 60;
  REQUIRE(write_sample_portal(a.url, options));
  REQUIRE(write_sample_portal(b.url, options));
  auto pa = a.store->load_snapshot();
  auto pb = b.store->load_snapshot();
  REQUIRE(pa->accounts.size() == 500);
  REQUIRE(pa->units.size() == 60);
  CHECK(pa->accounts[17].username == pb->accounts[17].username);
  CHECK(pa->accounts[17].national_id == pb->accounts[17].national_id);
  CHECK_FALSE(pa->shared_accounts.empty());
  auto again = write_sample_portal(a.url, options);
  REQUIRE_FALSE(again);
  CHECK_THAT(again.message(), Catch::Contains("already holds 500 accounts"));
}
