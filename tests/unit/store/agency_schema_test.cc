// Version 8: org_units learns which units are agencies and their level. A version 6 database (as
// a build before agencies left it, triggers included) migrates without loss and reads as before
// until the portal marks a unit.
#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>

#include "store/schema.h"
#include "store/schema_migrations.h"
#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

namespace {

// What `db init` of a version 6 build left: its steps, the units' update trigger watching the
// columns it knew, and a three-level tree with an account and a link.
// The interface tables as a build before agencies created them: org_units without the agency
// columns.
void create_old_interface_tables(soci::session& sql) {
  for (const auto& table : interface_tables())
    for (const auto& ddl : table.ddl) sql << ddl;
  sql << "ALTER TABLE org_units DROP COLUMN is_agency";
  sql << "ALTER TABLE org_units DROP COLUMN agency_level";
}

void create_version_6(const std::string& path) {
  soci::session sql(soci::sqlite3, "db=" + path);
  create_old_interface_tables(sql);
  for (int step = 0; step < 6; ++step)
    for (const auto& ddl : schema_migrations().at(step)) sql << ddl;
  sql << "INSERT INTO ps_schema_version(version) VALUES (6)";
  sql << "CREATE TRIGGER ps_journal_org_units_update AFTER UPDATE ON org_units WHEN NOT "
         "(OLD.id IS NOT NEW.id) AND (OLD.parent_id IS NOT NEW.parent_id OR OLD.code IS NOT "
         "NEW.code OR OLD.name IS NOT NEW.name OR OLD.active IS NOT NEW.active) BEGIN INSERT INTO "
         "ps_change_journal(table_name, row_id, related_id, operation, changed_at) VALUES "
         "('org_units', NEW.id, NULL, 'update', 'now'); END";
  sql << "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'), "
         "(2, 1, 'A01', '民政局'), (3, 2, 'A01-D1', '永康區公所')";
  sql << "INSERT INTO accounts(id, username, display_name, org_unit_id, status, role) "
         "VALUES (1, 'chen', '陳雅婷', 3, 'enabled', 'agency_admin')";
  sql << "INSERT INTO ps_links VALUES ('account', 1, 'uuid-chen')";
}

}  // namespace

TEST_CASE(
    "a version 6 database migrates to version 8: units unmarked, rows kept, marking "
    "journaled",
    "[store][agency]") {
  TempDir dir;
  auto path = dir.file("portal.db");
  auto url = "sqlite3://db=" + path;
  create_version_6(path);
  auto old = SociPortalStore::open(url);
  REQUIRE_FALSE(old);
  CHECK_THAT(old.error(), Catch::Contains("schema version 6, this build needs " +
                                          std::to_string(kSchemaVersion)));

  REQUIRE_OK(init_portal_database(url));
  REQUIRE_OK(init_portal_database(url));  // a second run changes nothing
  auto opened = SociPortalStore::open(url);
  REQUIRE_OK(opened);
  auto& store = *opened.value();
  auto portal = store.load_snapshot();
  REQUIRE_OK(portal);
  REQUIRE(portal->units.size() == 3);
  for (const auto& u : portal->units) {
    CHECK_FALSE(u.is_agency);
    CHECK(u.agency_level == 0);
  }
  REQUIRE(portal->accounts.size() == 1);
  CHECK(portal->accounts[0].display_name() == "陳雅婷");
  CHECK(store.load_links()->size() == 1);

  // The portal marks its agencies; the reinstalled trigger journals it.
  store.session() << "UPDATE org_units SET is_agency = 1, agency_level = id WHERE id IN (1, 3)";
  store.session() << "UPDATE org_units SET agency_level = 2 WHERE id = 2";  // not an agency
  auto entries = store.read_journal(0, 10);
  REQUIRE_OK(entries);
  REQUIRE(entries->size() == 3);
  CHECK(describe(entries->front()) == "org_units:1:-:update");
  portal = store.load_snapshot();
  REQUIRE_OK(portal);
  CHECK(portal->units[0].is_agency);
  CHECK(portal->units[0].agency_level == 1);
  CHECK_FALSE(portal->units[1].is_agency);
  CHECK(portal->units[2].is_agency);
  CHECK(portal->units[2].agency_level == 3);
}

TEST_CASE("a portal's own org_units without the agency columns is named by db init",
          "[store][agency]") {
  TempDir dir;
  auto path = dir.file("portal.db");
  auto url = "sqlite3://db=" + path;
  {
    soci::session sql(soci::sqlite3, "db=" + path);
    create_old_interface_tables(sql);  // step 8 adds the columns
    for (int step = 0; step < 8; ++step)
      for (const auto& ddl : schema_migrations().at(step)) sql << ddl;
    sql << "INSERT INTO ps_schema_version(version) VALUES (8)";
    // A portal tool rebuilds the table as it knew it, dropping the new columns.
    sql << "CREATE TABLE units_old AS SELECT id, parent_id, code, name, active FROM org_units";
    sql << "DROP TABLE org_units";
    sql << "ALTER TABLE units_old RENAME TO org_units";
  }
  auto st = init_portal_database(url);
  REQUIRE_FALSE(st);
  CHECK_THAT(st.message(),
             Catch::Contains("table org_units has no column is_agency, agency_level"));
}
