// ps_posix_ids: numbers recorded once, read back with every snapshot (partial ones too), never
// changed or handed out twice, and the table added to a version 6 database by db init.
#include <catch2/catch.hpp>

#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("POSIX numbers are recorded once and come back with every snapshot", "[store][posix]") {
  StoreTestDb db;
  db.seed_one_account();
  REQUIRE_OK(db.store->save_posix_ids(
      {{ObjectKind::account, 1, 100000}, {ObjectKind::group, 7, 100000}}, "2026-12-06T00:00:00Z"));
  // A gone row (account 9) keeps its number: it is in the snapshot all the same.
  REQUIRE_OK(db.store->save_posix_ids({{ObjectKind::account, 9, 100001}}, "2026-12-06T00:00:01Z"));
  auto snapshot = db.store->load_snapshot();
  REQUIRE_OK(snapshot);
  REQUIRE(snapshot->posix_ids.size() == 3);
  auto partial = db.store->load_partial_snapshot({});
  REQUIRE_OK(partial);
  CHECK(partial->posix_ids.size() == 3);
  CHECK(db.query_one("SELECT space || ' ' || assigned_at FROM ps_posix_ids WHERE kind = 'group'") ==
        "gid 2026-12-06T00:00:00Z");

  // Another number for a row that has one, or a number taken in its space: refused, nothing kept.
  auto again = db.store->save_posix_ids(
      {{ObjectKind::account, 2, 100005}, {ObjectKind::account, 1, 100006}}, "t");
  REQUIRE_FALSE(again);
  CHECK_THAT(again.message(), Catch::Contains("cannot record the POSIX numbers assigned"));
  auto taken = db.store->save_posix_ids({{ObjectKind::shared_account, 3, 100001}}, "t");
  REQUIRE_FALSE(taken);
  CHECK(db.query_one("SELECT count(*) FROM ps_posix_ids") == "3");
}

TEST_CASE("db init adds ps_posix_ids to a version 6 database", "[store][posix]") {
  StoreTestDb db;
  db.exec("DROP TABLE ps_posix_ids");
  db.exec("UPDATE ps_schema_version SET version = 6");
  REQUIRE_OK(init_portal_database(db.url));
  CHECK(db.query_one("SELECT version FROM ps_schema_version") == std::to_string(kSchemaVersion));
  CHECK(db.query_one("SELECT count(*) FROM sqlite_master WHERE name = 'ps_posix_ids'") == "1");
}
