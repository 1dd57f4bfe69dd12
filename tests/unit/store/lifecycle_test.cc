// Writes the rules make to the portal tables, each with its change-log record in one
// transaction: reserved-effect changes, decisions, custody, mass-change holds and quarantine.
#include <catch2/catch.hpp>

#include "tests/unit/store/journal_test_util.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("scheduled changes are added with ids and load with their NULLs as empty",
          "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  auto transfer = disable_chen();
  transfer.kind = "transfer";
  transfer.target_org_unit_id = 2;
  transfer.batch_id = "2026-12-batch";
  transfer.effective_at = "2026-11-30T00:00:00+08:00";
  std::vector<ScheduledChange> rows{disable_chen(), transfer};
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  CHECK(rows[0].id == 1);
  CHECK(rows[1].id == 2);
  CHECK(db.query_one("SELECT count(*) FROM scheduled_changes WHERE target_org_unit_id IS NULL "
                     "AND target_role IS NULL AND batch_id IS NULL") == "1");
  auto loaded = db.store->load_scheduled_changes();
  REQUIRE_OK(loaded);
  REQUIRE(loaded->size() == 2);
  const auto& first = loaded->front();  // effective_at order
  CHECK(first.id == 2);
  CHECK(first.kind == "transfer");
  CHECK(first.target_org_unit_id == 2);
  CHECK(first.batch_id == "2026-12-batch");
  CHECK(first.state == ChangeState::pending);
  const auto& second = loaded->at(1);
  CHECK_FALSE(second.target_org_unit_id);
  CHECK(second.target_role.empty());
  CHECK(second.reason == "離職");
  CHECK(second.requested_by == "admin");
  CHECK(second.outcome.empty());
  CHECK(second.executed_at.empty());
}

TEST_CASE("a state the portal wrote that this build does not know loads as unknown",
          "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  std::vector<ScheduledChange> rows{disable_chen()};
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  db.exec("UPDATE scheduled_changes SET state = 'archived'");
  auto loaded = db.store->load_scheduled_changes();
  REQUIRE_OK(loaded);
  CHECK(loaded->front().state == ChangeState::unknown);
  auto cancel = db.store->cancel_scheduled_change(1, test_record(0, "cancel"));
  CHECK(cancel.code() == StatusCode::conflict);
  CHECK(cancel.message() ==
        "scheduled change 1 is archived, only pending changes can be cancelled");
}

TEST_CASE("a scheduled change is cancelled only while pending, with its record",
          "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  std::vector<ScheduledChange> rows{disable_chen()};
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  auto record = test_record(0, "cancel");
  record.result = "done";
  REQUIRE_OK(db.store->cancel_scheduled_change(1, record));
  CHECK(db.query_one("SELECT state FROM scheduled_changes WHERE id = 1") == "cancelled");
  CHECK(db.query_one("SELECT operation || '|' || result FROM ps_change_log") == "cancel|done");
  auto again = db.store->cancel_scheduled_change(1, record);
  REQUIRE_FALSE(again);
  CHECK(again.code() == StatusCode::conflict);
  CHECK(again.message() ==
        "scheduled change 1 is cancelled, only pending changes can be cancelled");
  auto missing = db.store->cancel_scheduled_change(7, record);
  REQUIRE_FALSE(missing);
  CHECK(missing.code() == StatusCode::not_found);
  CHECK(missing.message() == "scheduled change 7 does not exist");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "1");
}

TEST_CASE("a decision updates the account, closes its scheduled row and is recorded, once",
          "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  std::vector<ScheduledChange> rows{disable_chen()};
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  auto record = test_record(0, "disable");
  record.at = "2026-12-01T00:00:05Z";
  record.result = "done";
  REQUIRE_OK(db.store->record_decision(done_disable(1), record));
  CHECK(
      db.query_one("SELECT status || '|' || disabled_reason || '|' || updated_at FROM accounts") ==
      "disabled|離職|2026-12-01T00:00:05Z");
  CHECK(db.query_one("SELECT state || '|' || outcome || '|' || executed_at FROM "
                     "scheduled_changes") == "done|disabled (離職)|2026-12-01T00:00:05Z");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "1");

  // Carried out twice (a rerun, or the portal cancelled it meanwhile): refused, nothing changes.
  db.exec("UPDATE accounts SET status = 'enabled'");
  auto twice = db.store->record_decision(done_disable(1), record);
  REQUIRE_FALSE(twice);
  CHECK(twice.code() == StatusCode::conflict);
  CHECK_THAT(twice.message(), Catch::Contains("scheduled change 1 is done, only pending changes "
                                              "can be executed"));
  CHECK(db.query_one("SELECT status FROM accounts") == "enabled");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "1");
}

TEST_CASE("a blocked decision changes no account and is recorded", "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  auto d = done_disable(0);
  d.actor = "rule:idle";
  d.state = ChangeState::blocked;
  d.outcome = "the only agency admin of 臺南市政府: appoint another first";
  auto record = test_record(0, "disable");
  record.result = "blocked";
  REQUIRE_OK(db.store->record_decision(d, record));
  CHECK(db.query_one("SELECT status FROM accounts") == "enabled");
  CHECK(db.query_one("SELECT result FROM ps_change_log") == "blocked");
}

TEST_CASE("a custody transfer and a hold are written with their records", "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) "
      "VALUES (2, 'lin', '林', 1, 'enabled')");
  db.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, "
      "custodian_id) VALUES (1, 'office.a00', 'agency', '市府公務帳號', 1, 1)");
  REQUIRE_OK(db.store->set_custodian(1, 2, test_record(0, "custody")));
  CHECK(db.query_one("SELECT custodian_id FROM shared_accounts") == "2");

  Hold hold;
  hold.fingerprint = "abc123";
  hold.created_at = "2026-11-25T00:00:00Z";
  hold.destructive = 600;
  hold.managed = 1000;
  hold.reason = "600 disables exceed 500";
  auto id = db.store->save_hold(hold, test_record(0, "hold"));
  REQUIRE_OK(id);
  hold.id = id.value();
  hold.state = HoldState::approved;
  hold.approved_by = "cli:root";
  hold.approved_at = "2026-11-25T01:00:00Z";
  REQUIRE_OK(db.store->save_hold(hold, test_record(0, "approve")));
  auto second = db.store->save_hold(Hold{}, test_record(0, "hold"));
  REQUIRE_OK(second);
  auto holds = db.store->load_holds();
  REQUIRE_OK(holds);
  REQUIRE(holds->size() == 2);
  CHECK(holds->front().id == second.value());  // newest first
  const auto& h = holds->at(1);
  CHECK(h.fingerprint == "abc123");
  CHECK(h.destructive == 600);
  CHECK(h.managed == 1000);
  CHECK(h.state == HoldState::approved);
  CHECK(h.approved_by == "cli:root");
  CHECK(db.query_list("SELECT operation FROM ps_change_log ORDER BY id") ==
        "custody,hold,approve,hold");
}

TEST_CASE("quarantine entries are replaced whole, and a release journals the object",
          "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  QuarantineEntry late{
      ObjectKind::account,    1,   "chen", 5, "2026-12-01T00:00:00Z", "2026-12-05T00:00:00Z",
      "Constraint violation", true};
  QuarantineEntry early{ObjectKind::org_unit,   1,      "臺南市政府", 1, "2026-12-02T00:00:00Z",
                        "2026-12-02T00:00:00Z", "Busy", false};
  REQUIRE_OK(db.store->save_quarantine({late, early}));
  auto loaded = db.store->load_quarantine();
  REQUIRE_OK(loaded);
  REQUIRE(loaded->size() == 2);
  CHECK(loaded->front().subject == "臺南市政府");  // ordered by last failure
  CHECK(loaded->back().quarantined);
  CHECK(loaded->back().last_error == "Constraint violation");

  auto head = journal_head(db);
  REQUIRE_OK(db.store->release_quarantine({early}, {late}, {test_record(0, "release")}));
  CHECK(journal_after(db, head) == std::vector<std::string>{"accounts:1:-:update"});
  auto entries = db.store->read_journal(head, 10);
  REQUIRE_OK(entries);
  CHECK(entries->front().changed_at.size() == 24);  // 2026-12-07T00:00:00.000Z
  CHECK(entries->front().changed_at.back() == 'Z');
  loaded = db.store->load_quarantine();
  REQUIRE_OK(loaded);
  REQUIRE(loaded->size() == 1);
  CHECK(loaded->front().kind == ObjectKind::org_unit);
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE operation = 'release'") == "1");
}
