// Version 10: a change-log record names the agency of its unit when it was written, hashed only
// when set, so the records of earlier versions still verify; an agency's query finds its records
// after the unit moved to another agency.
#include <catch2/catch.hpp>

#include "core/audit_filter.h"
#include "store/schema.h"
#include "store/schema_migrations.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

// 臺南市政府 (1) → 民政局 (2, with 戶政科 3) and 工務局 (4): three agencies, one unit inside one.
void seed_agencies(StoreTestDb& db) {
  db.exec(
      "INSERT INTO org_units(id, parent_id, code, name, is_agency, agency_level) VALUES "
      "(1, NULL, 'A00', '臺南市政府', 1, 1), (2, 1, 'A01', '民政局', 1, 2), "
      "(3, 2, 'A01-1', '戶政科', 0, NULL), (4, 1, 'A02', '工務局', 1, 2)");
}

std::int64_t write_record(SociPortalStore& store, RowId unit, const std::string& operation) {
  auto r = test_record(0, operation);
  r.unit_id = unit;
  std::vector<ChangeRecord> intents{r};
  REQUIRE_OK(store.record_intents(intents));
  REQUIRE_OK(store.record_outcomes({{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"}}));
  return intents[0].id;
}

// The ids of the records `portalsync audit query --agency CODE` shows.
std::string shown_for_agency(StoreTestDb& db, const std::string& code) {
  auto portal = db.store->load_snapshot();
  REQUIRE_OK(portal);
  auto filter = build_audit_filter({{"agency", code}}, portal.value(),
                                   [](TimePoint) { return std::chrono::minutes(480); });
  REQUIRE_OK(filter);
  auto shown = db.store->query_records(filter.value());
  REQUIRE_OK(shown);
  std::string ids;
  for (const auto& r : shown.value()) ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
  return ids;
}

// Without audit.key_file a chain verifies as "not tamper-evident" at best: what matters here is
// whether it is broken.
bool broken(SociPortalStore& store) {
  auto report = store.verify_chain({});
  REQUIRE_OK(report);
  INFO(report->problem);
  return report->verdict == ChainVerdict::broken;
}

}  // namespace

TEST_CASE("a record names its unit's agency, and a forged agency breaks the chain",
          "[store][audit][agency][contract]") {
  StoreTestDb db;
  seed_agencies(db);
  auto in_section = write_record(*db.store, 3, "add");  // 戶政科: 民政局's
  auto no_unit = write_record(*db.store, 0, "modify");
  CHECK(db.query_one("SELECT agency_id FROM ps_change_log WHERE id = " +
                     std::to_string(in_section)) == "2");
  CHECK(db.query_one("SELECT agency_id FROM ps_change_log WHERE outcome_of = " +
                     std::to_string(in_section)) == "2");  // the outcome keeps its intent's
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE agency_id IS NULL") == "2");
  CHECK_FALSE(broken(*db.store));

  // 戶政科 moves to 工務局: its next record names 工務局, the earlier one stays with 民政局.
  db.exec("UPDATE org_units SET parent_id = 4 WHERE id = 3");
  auto moved = write_record(*db.store, 3, "modify");
  CHECK(shown_for_agency(db, "A01") == std::to_string(in_section));
  CHECK(shown_for_agency(db, "A02") == std::to_string(moved));
  CHECK(shown_for_agency(db, "A00").empty());  // 臺南市政府's own units: none of these
  CHECK_FALSE(broken(*db.store));

  SECTION("an agency rewritten") {
    db.exec("UPDATE ps_change_log SET agency_id = 4 WHERE id = " + std::to_string(in_section));
  }
  SECTION("an agency removed") {
    db.exec("UPDATE ps_change_log SET agency_id = NULL WHERE id = " + std::to_string(moved));
  }
  SECTION("an agency added to a record that had none") {
    db.exec("UPDATE ps_change_log SET agency_id = 2 WHERE id = " + std::to_string(no_unit));
  }
  auto report = db.store->verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict == ChainVerdict::broken);
  CHECK_THAT(report->problem, Catch::Contains("was changed after it was sealed"));
}

TEST_CASE("while no unit is marked, records name no agency, as before version 10",
          "[store][audit][agency][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  write_record(*db.store, 1, "add");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE agency_id IS NOT NULL") == "0");
  CHECK(shown_for_agency(db, "A00") == "1");  // found by its unit
}

TEST_CASE("a version 9 database migrates: its records keep verifying, new ones name agencies",
          "[store][audit][agency]") {
  TempDir dir;
  auto url = "sqlite3://db=" + dir.file("portal.db");
  {
    // Records as a version 9 build wrote them: no agency column, so none in their hashes.
    REQUIRE_OK(init_portal_database(url));
    auto store = SociPortalStore::open(url);
    REQUIRE_OK(store);
    auto& sql = store.value()->session();
    sql << "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', "
           "'臺南市政府'), "
           "(2, 1, 'A01', '民政局')";
    write_record(*store.value(), 2, "add");
    write_record(*store.value(), 2, "modify");
    sql << "DROP VIEW ps_changes";  // version 12's, which reads the column
    sql << "DROP INDEX ps_change_log_agency";
    sql << "ALTER TABLE ps_change_log DROP COLUMN agency_id";
    sql << "UPDATE ps_schema_version SET version = 9";
  }
  auto old = SociPortalStore::open(url);
  REQUIRE_FALSE(old);
  CHECK_THAT(old.error(), Catch::Contains("schema version 9, this build needs " +
                                          std::to_string(kSchemaVersion)));

  REQUIRE_OK(init_portal_database(url));
  auto opened = SociPortalStore::open(url);
  REQUIRE_OK(opened);
  auto& store = *opened.value();
  CHECK_FALSE(broken(store));
  CHECK(store.verify_chain({})->sealed == 4);

  store.session() << "UPDATE org_units SET is_agency = 1, agency_level = id";
  auto named = write_record(store, 2, "modify");
  long long agency = 0;
  store.session() << "SELECT agency_id FROM ps_change_log WHERE id = " << named, soci::into(agency);
  CHECK(agency == 2);
  CHECK_FALSE(broken(store));
  CHECK(store.verify_chain({})->sealed == 6);
}
