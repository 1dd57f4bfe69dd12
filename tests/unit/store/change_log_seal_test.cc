// The change log's tamper evidence against someone with the database open in sqlite3 but without
// audit.key_file: records are sealed as they are written, keyed from the key checkpoint on, and
// prune keeps proof of what it removed.
#include <dirent.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/audit.h"
#include "store/change_log_key.h"
#include "store/change_log_retention.h"
#include "store/change_log_seal.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef";

// A keyed log: two directory operations (one applied, one failed), one decision record.
struct KeyedLog {
  StoreTestDb db;
  std::unique_ptr<SociPortalStore> store;

  explicit KeyedLog(bool write = true) {
    auto started = start_keyed_sealing(db.url, kKey, "2026-11-25T00:00:00Z");
    REQUIRE_OK(started);
    CHECK(started.value() == KeyedSealing::started);
    auto opened = SociPortalStore::open(db.url, kKey);
    REQUIRE_OK(opened);
    store = std::move(opened.value());
    if (write) write_some();
  }

  void write_some() {
    auto run = store->begin_run("portalsyncd", "2026-11-25T00:00:00Z", "sync");
    REQUIRE_OK(run);
    std::vector<ChangeRecord> intents{test_record(run.value(), "add"),
                                      test_record(run.value(), "modify")};
    REQUIRE_OK(store->record_intents(intents));
    REQUIRE_OK(store->record_outcomes(
        {{intents[0].id, "applied", "", "2026-11-25T00:00:01Z"},
         {intents[1].id, "failed", "Insufficient access (50)", "2026-11-25T00:00:02Z"}}));
  }

  ChainReport verify(const std::vector<AuditAnchor>& anchors = {}) {
    auto report = store->verify_chain(anchors);
    REQUIRE_OK(report);
    return report.value();
  }
};

int open_descriptors() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

}  // namespace

TEST_CASE("every record is sealed with the key as it is written, and the log verifies",
          "[store][audit][contract]") {
  KeyedLog log;
  CHECK(log.db.query_one("SELECT count(*) FROM ps_change_log WHERE hash IS NULL") == "0");
  // Two intents and their two outcome records; queries show the intents with their results.
  CHECK(log.db.query_one("SELECT count(*) FROM ps_change_log") == "4");
  auto shown = log.store->query_records(AuditFilter{});
  REQUIRE_OK(shown);
  REQUIRE(shown->size() == 2);
  CHECK(shown->at(1).result == "failed");
  CHECK(shown->at(1).message == "Insufficient access (50)");
  auto report = log.verify();
  CHECK(report.verdict == ChainVerdict::intact);
  CHECK(report.sealed == 4);
  CHECK(report.keyed_from == 1);
  auto anchor = log.store->latest_anchor();
  REQUIRE_OK(anchor);
  CHECK(anchor->seq == 4);
  CHECK(anchor->hash == log.db.query_one("SELECT hash FROM ps_change_log WHERE id = 4"));
  CHECK(log.verify({anchor.value()}).anchors_checked == 1);
}

TEST_CASE("sqlite3 tampering without the key is caught", "[store][audit][contract]") {
  KeyedLog log;
  auto broken_by = [&](const std::string& sql) {
    log.db.exec(sql);
    return log.verify();
  };

  SECTION("a record appended without a hash") {
    auto r = broken_by(
        "INSERT INTO ps_change_log(at, actor, operation, kind, result) VALUES "
        "('2026-11-25T01:00:00Z', 'intruder', 'delete', 'account', 'applied')");
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem, Catch::Contains("record 5 is not sealed"));
    // ...and the next genuine write does not seal it into the chain.
    log.write_some();
    CHECK_THAT(log.verify().problem, Catch::Contains("record 5 is not sealed"));
  }
  SECTION("the newest record edited and its hash blanked") {
    auto r = broken_by("UPDATE ps_change_log SET message = 'fine', hash = NULL WHERE id = 4");
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem, Catch::Contains("record 4 is not sealed"));
  }
  SECTION("an intent's shown result changed") {
    auto r = broken_by("UPDATE ps_change_log SET result = 'applied', message = '' WHERE id = 2");
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem, Catch::Contains("record 2 shows the outcome \"applied\""));
  }
  SECTION("an outcome record changed") {
    auto r = broken_by("UPDATE ps_change_log SET result = 'applied' WHERE id = 4");
    CHECK_THAT(r.problem, Catch::Contains("record 4 was changed after it was sealed"));
  }
  SECTION("the chain recomputed from scratch with plain SHA-256") {
    log.db.exec("UPDATE ps_change_log SET message = 'all good' WHERE id = 4");
    std::string prev;
    soci::rowset<soci::row> rows =
        (log.db.store->session().prepare << "SELECT " << kStoredColumns
                                         << " FROM ps_change_log ORDER BY id");
    std::vector<StoredRecord> all;
    for (const auto& row : rows) all.push_back(stored_from_row(row));
    for (auto& s : all) {
      auto h = record_hash("", prev, canonical_record(s.record, s.completed_at, s.outcome_of));
      log.db.exec("UPDATE ps_change_log SET prev_hash = '" + prev + "', hash = '" + h +
                  "' WHERE id = " + std::to_string(s.record.id));
      prev = h;
    }
    auto r = log.verify();
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem, Catch::Contains("record 1 was changed after it was sealed"));
  }
  SECTION("the tail truncated: only an anchor kept outside shows it") {
    log.write_some();
    auto anchor = log.store->latest_anchor().value();
    log.db.exec("DELETE FROM ps_change_log WHERE id > 4");
    CHECK(log.verify().verdict == ChainVerdict::intact);
    auto r = log.verify({anchor});
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem,
               Catch::Contains("the log ends at record 4, but an anchor names record 8"));
  }
  SECTION("the key checkpoint forged to start later") {
    auto r = broken_by("UPDATE ps_audit_checkpoints SET last_id = 2 WHERE kind = 'key'");
    CHECK(r.verdict == ChainVerdict::broken);
    CHECK_THAT(r.problem, Catch::Contains("key checkpoint after record 2 does not carry a valid"));
  }
  SECTION("the key checkpoint deleted") {
    auto r = broken_by("DELETE FROM ps_audit_checkpoints");
    CHECK(r.verdict == ChainVerdict::broken);
  }
}

TEST_CASE("without the key the log is not tamper-evident, and a keyed log takes no unkeyed write",
          "[store][audit][contract]") {
  KeyedLog log;
  auto unkeyed = SociPortalStore::open(log.db.url);
  REQUIRE_OK(unkeyed);
  auto report = unkeyed.value()->verify_chain({});
  REQUIRE_OK(report);
  CHECK(report->verdict == ChainVerdict::not_tamper_evident);
  CHECK_THAT(report->weakness, Catch::Contains("no audit.key_file"));
  std::vector<ChangeRecord> intents{test_record(1, "add")};
  auto st = unkeyed.value()->record_intents(intents);
  REQUIRE_FALSE(st);
  CHECK_THAT(st.message(), Catch::Contains("names no key"));
  auto other = SociPortalStore::open(log.db.url, "another-key-of-32-characters....");
  REQUIRE_OK(other);
  CHECK_FALSE(other.value()->verify_chain({}));

  StoreTestDb plain;  // never keyed: sealed with plain SHA-256 and said so
  auto run = plain.store->begin_run("cli:test", "2026-11-25T00:00:00Z", "sync");
  std::vector<ChangeRecord> one{test_record(run.value(), "add")};
  REQUIRE_OK(plain.store->record_intents(one));
  auto weak = plain.store->verify_chain({});
  REQUIRE_OK(weak);
  CHECK(weak->verdict == ChainVerdict::not_tamper_evident);
}

TEST_CASE("prune verifies first, exports every hashed field, and the export re-checks",
          "[store][audit][retention][contract]") {
  KeyedLog log;
  TempDir out;
  PruneRequest request{"2100-01-01T00:00:00Z", out.file("exports"), "2026-12-01T00:00:00Z"};

  log.db.exec("UPDATE ps_change_log SET actor = 'someone else' WHERE id = 1");
  auto refused = log.store->prune_records(request);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Contains("refused: the change log does not verify"));
  CHECK(log.db.query_one("SELECT count(*) FROM ps_change_log") == "4");
  log.db.exec("UPDATE ps_change_log SET actor = 'cli:test' WHERE id = 1");

  auto pruned = log.store->prune_records(request);
  REQUIRE_OK(pruned);
  CHECK(pruned->records == 4);
  auto text = read_file(pruned->export_file);
  for (const auto* field :
       {"\"completed_at\":", "\"run_id\":", "\"prev_hash\":", "\"outcome_of\":"})
    CHECK_THAT(text, Catch::Contains(field));
  auto checked = log.store->verify_export(pruned->export_file);
  REQUIRE_OK(checked);
  CHECK(checked->ok);
  CHECK(checked->last_id == 4);

  log.write_some();  // the chain continues from the checkpoint
  CHECK(log.verify().verdict == ChainVerdict::intact);

  auto tampered = text;
  tampered.replace(tampered.find("Insufficient"), 12, "Sufficient  ");
  write_file(pruned->export_file, tampered);
  auto caught = log.store->verify_export(pruned->export_file);
  REQUIRE_OK(caught);
  CHECK_FALSE(caught->ok);
  CHECK_THAT(caught->problem, Catch::Contains("no checkpoint names this file"));
}

TEST_CASE("prune does not part an intent from its outcome", "[store][audit][retention][contract]") {
  KeyedLog log(false);
  auto run = log.store->begin_run("portalsyncd", "2026-11-25T00:00:00Z", "sync");
  std::vector<ChangeRecord> intents{test_record(run.value(), "add")};
  REQUIRE_OK(log.store->record_intents(intents));
  TempDir out;
  auto pruned = log.store->prune_records({"2100-01-01T00:00:00Z", out.file("x"), "now"});
  REQUIRE_OK(pruned);
  CHECK(pruned->records == 0);
  CHECK_THAT(pruned->held_back, Catch::Contains("stopped before record 1"));
}

TEST_CASE("a failed fsync closes its descriptor, and a rename is made durable",
          "[store][audit][retention][contract]") {
  TempDir dir;
  auto before = open_descriptors();
  auto st = durable_rename("/dev/null", dir.file("never"));  // fsync on /dev/null: EINVAL
  REQUIRE_FALSE(st);
  CHECK_THAT(st.message(), Catch::Contains("cannot sync /dev/null"));
  CHECK(open_descriptors() == before);
  CHECK(std::filesystem::exists("/dev/null"));
  write_file(dir.file("a.partial"), "x\n");
  REQUIRE_OK(durable_rename(dir.file("a.partial"), dir.file("a")));
  CHECK(read_file(dir.file("a")) == "x\n");
  CHECK(open_descriptors() == before);
}
