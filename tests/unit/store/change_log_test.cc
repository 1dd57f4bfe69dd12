// Identity links, run records and the change log: intents written before the operations, their
// outcomes after, and the leftovers of an interrupted run flagged by the next one.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "core/audit_filter.h"
#include "store/schema.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

// `columns` of the outcome record of intent `id`, "" when it has none. The intent itself stays as
// sealed: the change log is append-only.
std::string outcome_of(StoreTestDb& db, std::int64_t id, const std::string& columns) {
  return db.query_list("SELECT " + columns +
                       " FROM ps_change_log WHERE outcome_of = " + std::to_string(id));
}

std::string pending_intents(StoreTestDb& db) {
  return db.query_list("SELECT intent_id FROM ps_pending_intents ORDER BY intent_id");
}

}  // namespace

TEST_CASE("identity links are upserted and removed by kind and portal id", "[store][contract]") {
  StoreTestDb db;
  REQUIRE_OK(db.store->save_links({{ObjectKind::account, 1, "uuid-a"},
                                   {ObjectKind::org_unit, 1, "uuid-u"},
                                   {ObjectKind::group, 2, "uuid-g"}},
                                  {}));
  REQUIRE_OK(db.store->save_links({{ObjectKind::account, 1, "uuid-b"}},
                                  {{ObjectKind::org_unit, 1, ""}, {ObjectKind::account, 9, ""}}));
  db.exec("INSERT INTO ps_links VALUES ('printer', 5, 'uuid-p')");  // a kind this build skips
  auto links = db.store->load_links();
  REQUIRE_OK(links);
  REQUIRE(links->size() == 2);
  for (const auto& l : links.value()) {
    if (l.kind == ObjectKind::account) {
      CHECK(l.portal_id == 1);
      CHECK(l.anchor == "uuid-b");
    } else {
      CHECK(l.kind == ObjectKind::group);
      CHECK(l.anchor == "uuid-g");
    }
  }
  REQUIRE_OK(db.store->save_links({}, {}));
}

TEST_CASE("a run record opens and closes with its status and summary", "[store][contract]") {
  StoreTestDb db;
  auto run = db.store->begin_run("cli:root", "2026-11-25T00:00:00Z", "sync");
  REQUIRE_OK(run);
  CHECK(db.query_one("SELECT status FROM ps_runs WHERE id = " + std::to_string(run.value())) ==
        "running");
  REQUIRE_OK(db.store->finish_run(run.value(), "2026-11-25T00:00:05Z", "ok", "{\"adds\":3}"));
  CHECK(db.query_one("SELECT actor || '|' || mode || '|' || started_at || '|' || finished_at || "
                     "'|' || status || '|' || summary_json FROM ps_runs") ==
        "cli:root|sync|2026-11-25T00:00:00Z|2026-11-25T00:00:05Z|ok|{\"adds\":3}");
}

TEST_CASE("intents get ids and are stored pending, outcomes complete them", "[store][contract]") {
  StoreTestDb db;
  auto run = db.store->begin_run("cli:test", "2026-11-25T00:00:00Z", "sync");
  REQUIRE_OK(run);
  auto add = test_record(run.value(), "add");
  add.category = "data change";
  add.unit_id = 1;
  add.after_json = "{\"cn\":[\"陳雅婷\"]}";
  add.correlation_id = "run-1";
  std::vector<ChangeRecord> intents{add, test_record(run.value(), "modify"),
                                    test_record(run.value(), "disable")};
  REQUIRE_OK(db.store->record_intents(intents));
  CHECK(intents[0].id > 0);
  CHECK(intents[1].id == intents[0].id + 1);
  CHECK(intents[2].id == intents[0].id + 2);
  auto first = std::to_string(intents[0].id);
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE result = 'pending'") == "3");
  CHECK(db.query_one("SELECT count(*) FROM ps_pending_intents") == "3");
  CHECK(db.query_one("SELECT category || '|' || unit_id || '|' || after_json || '|' || "
                     "correlation_id || '|' || dn FROM ps_change_log WHERE id = " +
                     first) ==
        "data change|1|{\"cn\":[\"陳雅婷\"]}|run-1|uid=chen,ou=臺南市政府,ou=portal");

  REQUIRE_OK(db.store->record_outcomes(
      {{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"},
       {intents[1].id, "failed", "Insufficient access (50)", "2026-11-25T00:00:02Z"}}));
  CHECK(outcome_of(db, intents[0].id, "result || '|' || at") == "applied|2026-11-25T00:00:01Z");
  CHECK(outcome_of(db, intents[1].id, "result || '|' || message") ==
        "failed|Insufficient access (50)");
  CHECK(outcome_of(db, intents[2].id, "result") == "");
  CHECK(pending_intents(db) == std::to_string(intents[2].id));
  // No UPDATE: every intent reads as it was sealed.
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE result = 'pending' AND "
                     "message = '' AND completed_at IS NULL") == "3");
  REQUIRE_OK(db.store->record_outcomes({}));
  std::vector<ChangeRecord> none;
  REQUIRE_OK(db.store->record_intents(none));
}

TEST_CASE("a batch of intents and outcomes is one valid chain, and a second outcome is refused",
          "[store][contract]") {
  // On a server a batch goes in one INSERT with reserved ids (ChainAppender::append_all): the
  // chain must read exactly as if the records had gone one at a time.
  StoreTestDb db;
  auto run = db.store->begin_run("cli:test", "2026-11-25T00:00:00Z", "sync");
  std::vector<ChangeRecord> intents;
  for (int i = 0; i < 300; ++i) {
    intents.push_back(test_record(run.value(), i % 3 ? "modify" : "add"));
    intents.back().subject_name = "帳號-" + std::to_string(i) + "'; DROP TABLE ps_runs; --";
    intents.back().unit_id = 1 + i % 2;
  }
  REQUIRE_OK(db.store->record_intents(intents));
  for (std::size_t i = 1; i < intents.size(); ++i) REQUIRE(intents[i].id > intents[i - 1].id);
  std::vector<ChangeOutcome> outcomes;
  for (std::size_t i = 0; i + 1 < intents.size(); ++i)
    outcomes.push_back({intents[i].id, i % 7 ? "applied" : "failed", i % 7 ? "" : "busy (51)",
                        "2026-11-25T00:00:0" + std::to_string(i % 10) + "Z"});
  REQUIRE_OK(db.store->record_outcomes(outcomes));
  CHECK(outcome_of(db, intents[7].id, "result || '|' || message || '|' || at") ==
        "failed|busy (51)|2026-11-25T00:00:07Z");
  CHECK(pending_intents(db) == std::to_string(intents.back().id));
  CHECK(db.query_one("SELECT subject_name FROM ps_change_log WHERE id = " +
                     std::to_string(intents[5].id)) == "帳號-5'; DROP TABLE ps_runs; --");

  // The same intent twice, in one batch or after its outcome: refused, and nothing of the batch
  // is written.
  auto last = intents.back().id;
  auto twice = db.store->record_outcomes({{last, "applied", "", "2026-11-25T00:01:00Z"},
                                          {last, "failed", "again", "2026-11-25T00:01:00Z"}});
  CHECK_FALSE(twice);
  CHECK_THAT(twice.message(), Catch::Contains("is not a pending intent"));
  auto again = db.store->record_outcomes({{intents[0].id, "failed", "", "2026-11-25T00:01:00Z"}});
  CHECK_FALSE(again);
  CHECK(outcome_of(db, last, "result") == "");
  CHECK(pending_intents(db) == std::to_string(last));
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "599");

  auto report = db.store->verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict != ChainVerdict::broken);
  CHECK(report->sealed == 599);
}

TEST_CASE("two sessions appending to the change log at once leave one chain, no id twice",
          "[store][contract]") {
  // Each batch reserves its ids and reads the chain's head under the change log's lock; on SQLite
  // that lock is the database's, taken by the batch's first statement.
  StoreTestDb db;
  auto run = db.store->begin_run("cli:test", "2026-11-25T00:00:00Z", "sync");
  REQUIRE_OK(run);
  constexpr int kBatches = 12, kPerBatch = 40;
  std::vector<std::string> failures[2];
  std::vector<std::int64_t> ids[2];
  auto append = [&](int writer) {
    auto store = SociPortalStore::open(db.url);
    if (!store) return failures[writer].push_back(store.error());
    for (int b = 0; b < kBatches; ++b) {
      std::vector<ChangeRecord> intents(kPerBatch, test_record(run.value(), "modify"));
      if (auto st = store.value()->record_intents(intents); !st)
        return failures[writer].push_back(st.message());
      std::vector<ChangeOutcome> outcomes;
      for (const auto& r : intents) {
        ids[writer].push_back(r.id);
        outcomes.push_back({r.id, "applied", "", "2026-11-25T00:00:01Z"});
      }
      if (auto st = store.value()->record_outcomes(outcomes); !st)
        return failures[writer].push_back(st.message());
    }
  };
  std::thread first(append, 0), second(append, 1);
  first.join();
  second.join();
  CHECK(failures[0].empty());
  CHECK(failures[1].empty());
  for (const auto& f : failures[0]) WARN(f);
  for (const auto& f : failures[1]) WARN(f);
  std::set<std::int64_t> all(ids[0].begin(), ids[0].end());
  all.insert(ids[1].begin(), ids[1].end());
  CHECK(all.size() == 2 * kBatches * kPerBatch);
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") ==
        std::to_string(4 * kBatches * kPerBatch));
  CHECK(pending_intents(db) == "");
  auto report = db.store->verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict != ChainVerdict::broken);
  CHECK(report->sealed == 4 * kBatches * kPerBatch);
}

TEST_CASE("the next run marks an interrupted run's pending intents unknown, and only those",
          "[store][contract]") {
  StoreTestDb db;
  auto crashed = db.store->begin_run("portalsyncd", "2026-11-25T00:00:00Z", "sync");
  std::vector<ChangeRecord> intents{test_record(crashed.value(), "add"),
                                    test_record(crashed.value(), "add")};
  REQUIRE_OK(db.store->record_intents(intents));
  REQUIRE_OK(db.store->record_outcomes({{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"}}));
  // Killed here: intents[1] was sent, or not; nobody knows.

  auto next = db.store->begin_run("portalsyncd", "2026-11-25T00:10:00Z", "sync");
  std::vector<ChangeRecord> own{test_record(next.value(), "modify")};
  REQUIRE_OK(db.store->record_intents(own));
  auto marked = db.store->mark_interrupted(next.value(), "outcome unknown: run 2 re-read");
  REQUIRE_OK(marked);
  CHECK(marked.value() == 1);
  CHECK(outcome_of(db, intents[1].id, "result || '|' || message") ==
        "unknown|outcome unknown: run 2 re-read");
  CHECK(outcome_of(db, intents[0].id, "result") == "applied");
  CHECK(outcome_of(db, own[0].id, "result") == "");
  CHECK(pending_intents(db) == std::to_string(own[0].id));
  CHECK(db.query_one("SELECT status FROM ps_runs WHERE id = " + std::to_string(crashed.value())) ==
        "interrupted");
  CHECK(db.query_one("SELECT status FROM ps_runs WHERE id = " + std::to_string(next.value())) ==
        "running");
  // The flagged record is final now, so the audit chain seals it.
  CHECK(db.query_one("SELECT hash IS NOT NULL FROM ps_change_log WHERE id = " +
                     std::to_string(intents[1].id)) == "1");

  auto again = db.store->mark_interrupted(next.value(), "again");
  REQUIRE_OK(again);
  CHECK(again.value() == 0);
}

TEST_CASE("a sync run killed before its first intent is marked interrupted too",
          "[store][contract]") {
  StoreTestDb db;
  auto killed = db.store->begin_run("cli:root", "2026-11-25T00:00:00Z", "sync");
  auto plan = db.store->begin_run("cli:root", "2026-11-25T00:00:01Z", "plan");
  auto next = db.store->begin_run("cli:root", "2026-11-25T00:01:00Z", "sync");
  auto marked = db.store->mark_interrupted(next.value(), "unknown");
  REQUIRE_OK(marked);
  CHECK(marked.value() == 0);
  CHECK(db.query_one("SELECT status FROM ps_runs WHERE id = " + std::to_string(killed.value())) ==
        "interrupted");
  // A plan may run beside a sync: it is left alone.
  CHECK(db.query_one("SELECT status FROM ps_runs WHERE id = " + std::to_string(plan.value())) ==
        "running");
}

TEST_CASE("a change-log write that fails is an error value and leaves nothing behind", "[store]") {
  StoreTestDb db;
  db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON ps_change_log WHEN NEW.operation = 'delete' "
      "BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  std::vector<ChangeRecord> intents{test_record(1, "add"), test_record(1, "delete")};
  auto st = db.store->record_intents(intents);
  REQUIRE_FALSE(st);
  CHECK_THAT(st.message(), Catch::StartsWith("portal database " + db.label() +
                                             ": cannot write change-log intents: "));
  CHECK_THAT(st.message(), Catch::Contains("disk says no"));
  // SOCI appends the bound values to its messages; they may be personal data and stay out.
  CHECK_THAT(st.message(), !Catch::Contains("uid=chen") && !Catch::Contains("with :"));
  CHECK_THAT(st.message(), !Catch::Contains("sqlite3_statement_backend"));
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "0");  // one transaction
}

namespace {

// A trigger that refuses every UPDATE of ps_change_log, made by portalsync's own account (the
// owner of its tables) in each backend's dialect.
void refuse_change_log_updates(StoreTestDb& db) {
  auto& sql = db.store->session();
  switch (test_portal_backend()) {
    case PortalBackend::sqlite:
      sql << "CREATE TRIGGER append_only BEFORE UPDATE ON ps_change_log "
             "BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END";
      break;
    case PortalBackend::postgresql:
      sql << "CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS "
             "$$BEGIN RAISE EXCEPTION 'the change log is append-only'; END$$";
      sql << "CREATE TRIGGER append_only BEFORE UPDATE ON ps_change_log FOR EACH ROW EXECUTE "
             "FUNCTION refuse_update()";
      break;
    case PortalBackend::mariadb:
      sql << "CREATE TRIGGER append_only BEFORE UPDATE ON ps_change_log FOR EACH ROW SIGNAL "
             "SQLSTATE '45000' SET MESSAGE_TEXT = 'the change log is append-only'";
      break;
  }
}

}  // namespace

TEST_CASE("the change log is append-only: nothing portalsync writes updates a record",
          "[store][contract]") {
  // An auditor's database may refuse every UPDATE of the change log; portalsync never needs one.
  StoreTestDb db;
  db.seed_one_account();
  refuse_change_log_updates(db);
  auto crashed = db.store->begin_run("portalsyncd", "2026-11-25T00:00:00Z", "sync");
  std::vector<ChangeRecord> intents{test_record(crashed.value(), "add"),
                                    test_record(crashed.value(), "modify"),
                                    test_record(crashed.value(), "disable")};
  REQUIRE_OK(db.store->record_intents(intents));
  REQUIRE_OK(db.store->record_outcomes(
      {{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"},
       {intents[1].id, "failed", "Insufficient access (50)", "2026-11-25T00:00:01Z"}}));
  auto next = db.store->begin_run("portalsyncd", "2026-11-25T00:10:00Z", "sync");
  auto marked = db.store->mark_interrupted(next.value(), "outcome unknown");
  REQUIRE_OK(marked);
  CHECK(marked.value() == 1);
  auto cancel = test_record(0, "cancel");
  cancel.result = "done";
  std::vector<ScheduledChange> rows{disable_chen()};
  REQUIRE_OK(db.store->add_scheduled_changes(rows));
  REQUIRE_OK(db.store->cancel_scheduled_change(rows[0].id, cancel));

  CHECK(db.query_one("SELECT count(*) FROM ps_change_log") == "7");
  // What an audit query shows: each intent with its outcome.
  AuditFilter all;
  all.limit = 100;
  auto shown = db.store->query_records(all);
  REQUIRE_OK(shown);
  std::string results;
  for (const auto& r : shown.value()) results += r.operation + ":" + r.result + " ";
  CHECK(results == "add:applied modify:failed disable:unknown cancel:done ");
  AuditFilter failed = all;
  failed.result = "failed";
  auto only_failed = db.store->query_records(failed);
  REQUIRE_OK(only_failed);
  REQUIRE(only_failed->size() == 1);
  CHECK(only_failed->front().message == "Insufficient access (50)");
  auto report = db.store->verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict != ChainVerdict::broken);
  CHECK(report->sealed == 7);
  // The trigger was live all along: an UPDATE of a record is refused.
  CHECK_THROWS_WITH(db.store->session() << "UPDATE ps_change_log SET message = 'forged'",
                    Catch::Contains("append-only"));
}

TEST_CASE(
    "a version 11 change log migrates: updated intents verify, a pending one gets its outcome",
    "[store][audit]") {
  TempDir dir;
  auto url = "sqlite3://db=" + dir.file("portal.db");
  std::vector<ChangeRecord> intents;
  {
    // What a version 11 build left: each answered intent updated to show its outcome, and one
    // pending because the build was stopped mid-run for the upgrade.
    REQUIRE_OK(init_portal_database(url));
    auto store = SociPortalStore::open(url);
    REQUIRE_OK(store);
    auto run = store.value()->begin_run("portalsyncd", "2026-11-25T00:00:00Z", "sync");
    intents = {test_record(run.value(), "add"), test_record(run.value(), "modify"),
               test_record(run.value(), "disable")};
    REQUIRE_OK(store.value()->record_intents(intents));
    REQUIRE_OK(store.value()->record_outcomes(
        {{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"},
         {intents[1].id, "failed", "busy (51)", "2026-11-25T00:00:02Z"}}));
    auto& sql = store.value()->session();
    sql << "UPDATE ps_change_log SET result = o.result, message = o.message, completed_at = o.at "
           "FROM (SELECT outcome_of, result, message, at FROM ps_change_log WHERE outcome_of IS "
           "NOT NULL) AS o WHERE ps_change_log.id = o.outcome_of";
    sql << "DROP TABLE ps_pending_intents";
    sql << "CREATE INDEX ps_change_log_pending ON ps_change_log(id) WHERE result = 'pending' AND "
           "outcome_of IS NULL";
    sql << "UPDATE ps_schema_version SET version = 11";
  }
  REQUIRE_OK(init_portal_database(url));
  REQUIRE_OK(init_portal_database(url));  // again: nothing listed twice
  auto opened = SociPortalStore::open(url);
  REQUIRE_OK(opened);
  auto& store = *opened.value();
  auto& sql = store.session();
  std::string pending;
  sql << "SELECT group_concat(intent_id) FROM ps_pending_intents", soci::into(pending);
  CHECK(pending == std::to_string(intents[2].id));
  auto next = store.begin_run("portalsyncd", "2026-11-25T01:00:00Z", "sync");
  auto marked = store.mark_interrupted(next.value(), "outcome unknown: upgraded mid-run");
  REQUIRE_OK(marked);
  CHECK(marked.value() == 1);

  auto report = store.verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict != ChainVerdict::broken);
  CHECK(report->sealed == 6);
  AuditFilter all;
  all.limit = 10;
  auto shown = store.query_records(all);
  REQUIRE_OK(shown);
  std::string results;
  for (const auto& r : shown.value()) results += r.result + " ";
  CHECK(results == "applied failed unknown ");
  AuditFilter failed = all;
  failed.result = "failed";
  CHECK(store.query_records(failed)->size() == 1);
}
