// Identity links, run records and the change log: intents written before the operations, their
// outcomes after, and the leftovers of an interrupted run flagged by the next one.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

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
  CHECK(db.query_one("SELECT category || '|' || unit_id || '|' || after_json || '|' || "
                     "correlation_id || '|' || dn FROM ps_change_log WHERE id = " +
                     first) ==
        "data change|1|{\"cn\":[\"陳雅婷\"]}|run-1|uid=chen,ou=臺南市政府,ou=portal");

  REQUIRE_OK(db.store->record_outcomes(
      {{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"},
       {intents[1].id, "failed", "Insufficient access (50)", "2026-11-25T00:00:02Z"}}));
  CHECK(db.query_one("SELECT result || '|' || completed_at FROM ps_change_log WHERE id = " +
                     first) == "applied|2026-11-25T00:00:01Z");
  CHECK(db.query_one("SELECT result || '|' || message FROM ps_change_log WHERE id = " +
                     std::to_string(intents[1].id)) == "failed|Insufficient access (50)");
  CHECK(db.query_one("SELECT result FROM ps_change_log WHERE id = " +
                     std::to_string(intents[2].id)) == "pending");
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
  CHECK(db.query_one("SELECT result || '|' || message || '|' || completed_at FROM ps_change_log "
                     "WHERE id = " +
                     std::to_string(intents[7].id)) == "failed|busy (51)|2026-11-25T00:00:07Z");
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE result = 'pending'") == "1");
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
  CHECK(db.query_one("SELECT result FROM ps_change_log WHERE id = " + std::to_string(last)) ==
        "pending");
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
  CHECK(db.query_one("SELECT count(*) FROM ps_change_log WHERE result = 'pending'") == "0");
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
  CHECK(db.query_one("SELECT result || '|' || message FROM ps_change_log WHERE id = " +
                     std::to_string(intents[1].id)) == "unknown|outcome unknown: run 2 re-read");
  CHECK(db.query_one("SELECT result FROM ps_change_log WHERE id = " +
                     std::to_string(intents[0].id)) == "applied");
  CHECK(db.query_one("SELECT result FROM ps_change_log WHERE id = " + std::to_string(own[0].id)) ==
        "pending");
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
