// The change log as an auditor uses it: queries by account, unit and actor, CSV for Excel, the hash
// chain catching each kind of tampering, and national IDs never leaving the portal unmasked.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/audit.h"
#include "store/change_log_seal.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/process.h"

using namespace ps::testing;

namespace {

// A portal whose configuration names audit.key_file, keyed by `db init -c` (which creates it).
struct KeyedPortal {
  SlapdServer slapd;
  TempDir keys;
  PortalFixture portal{slapd, "audit:\n  retain_days: 365\n  export_dir: \"" +
                                  keys.file("exports") + "\"\n  key_file: \"" +
                                  keys.file("audit.key") + "\"\n"};
  KeyedPortal() {
    auto init = portal.portalsync({"db", "init"});
    INFO(init.out << init.err);
    REQUIRE(init.exit_code == 0);
    CHECK_THAT(init.out, Catch::Contains("audit key created"));
    REQUIRE(std::filesystem::status(keys.file("audit.key")).permissions() ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
};

// The attacker's sqlite3, on the database file.
void sqlite3(const PortalFixture& portal, const std::string& sql) {
  auto r = run({"sqlite3", portal.database(), sql});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

void synced_portal_with_history(const PortalFixture& portal) {
  portal.seed_small_tree();
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  portal.exec(
      "UPDATE accounts SET title = '專員' WHERE id = 2; UPDATE accounts SET org_unit_id = 4 WHERE "
      "id = 3");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
}

// The history above, its chain verified intact; returns the verify's output.
std::string verified_history(const PortalFixture& portal) {
  synced_portal_with_history(portal);
  auto ok = portal.portalsync({"audit", "verify"});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("chain intact: 26 records verified"));
  return ok.out;
}

}  // namespace

TEST_CASE("audit query filters by account, unit and result, and exports CSV for Excel",
          "[cli][audit][portable][not-on-mariadb]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  synced_portal_with_history(portal);
  auto lin = portal.portalsync({"audit", "query", "--account", "lin.wei", "--format", "json"});
  INFO(lin.out << lin.err);
  REQUIRE(lin.exit_code == 0);
  CHECK_THAT(lin.out, Catch::Contains(R"("before":"{\"title\":[\"科長\"]}")"));
  CHECK_THAT(lin.out, !Catch::Contains("chen.yating"));
  auto unit = portal.portalsync({"audit", "query", "--unit", "A01", "--subunits"});
  CHECK_THAT(unit.out, Catch::Contains("戶政科"));
  CHECK_THAT(unit.out, Catch::Contains("lin.wei"));
  CHECK_THAT(unit.out, !Catch::Contains("教育局 (4)"));
  auto moves = portal.portalsync({"audit", "query", "--category", "unit transfer", "--roc"});
  CHECK_THAT(moves.out, Catch::Contains("wang.xm"));
  CHECK_THAT(moves.out, Catch::Contains("民國 1"));
  auto csv = portal.portalsync({"audit", "query", "--format", "csv"});
  CHECK(csv.out.rfind("\xEF\xBB\xBFid,time (Asia/Taipei)", 0) == 0);
  auto none = portal.portalsync({"audit", "query", "--from", "2000-01-01", "--to", "2000-01-02"});
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
  auto bad = portal.portalsync({"audit", "query", "--from", "yesterday"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("--from: \"yesterday\" is not ISO 8601"));
  CHECK(portal.portalsync({"audit", "query", "--category", "no such category"}).exit_code == 1);
  CHECK(portal.portalsync({"audit", "query", "--result", "succeeded"}).exit_code == 1);
  CHECK_THAT(csv.out, Catch::Contains(",unit_id,"));
}

TEST_CASE("audit verify catches a changed, removed, inserted and reordered record",
          "[cli][audit]") {
  KeyedPortal keyed;
  auto& portal = keyed.portal;
  CHECK_THAT(verified_history(portal), Catch::Contains("anchor: 26:"));
  auto copy = portal.dir().file("pristine.db");
  std::filesystem::copy_file(portal.database(), copy);
  auto restore = [&] {
    std::filesystem::copy_file(copy, portal.database(),
                               std::filesystem::copy_options::overwrite_existing);
  };
  auto verify = [&](const std::string& tamper) {
    restore();
    sqlite3(portal, tamper);
    return portal.portalsync({"audit", "verify"});
  };

  auto changed = verify("UPDATE ps_change_log SET actor = 'someone' WHERE id = 5");
  CHECK(changed.exit_code == 4);
  CHECK_THAT(changed.out, Catch::Contains("record 5 was changed"));

  auto removed = verify("DELETE FROM ps_change_log WHERE id = 6");
  CHECK(removed.exit_code == 4);
  CHECK_THAT(removed.out, Catch::Contains("record 6 was removed"));

  auto inserted = verify(
      "UPDATE ps_change_log SET id = id + 100 WHERE id > 7;"
      "INSERT INTO ps_change_log(id, at, actor, operation, kind, result, prev_hash, hash) "
      "SELECT 8, at, 'intruder', 'delete', 'account', 'applied', hash, hash FROM ps_change_log "
      "WHERE id = 7;"
      "UPDATE ps_change_log SET id = id - 99 WHERE id > 100");
  CHECK(inserted.exit_code == 4);
  CHECK_THAT(inserted.out, Catch::Contains("record 8"));

  auto reordered = verify(
      "UPDATE ps_change_log SET id = -3 WHERE id = 3; UPDATE ps_change_log SET id = 3 WHERE id = 4;"
      "UPDATE ps_change_log SET id = 4 WHERE id = -3");
  CHECK(reordered.exit_code == 4);
  CHECK_THAT(reordered.out, Catch::Contains("record 3 does not follow record 2"));
}

// The same attacks made in the database itself, on every backend: each one undone before the next
// (the file copies above are SQLite's alone).
TEST_CASE("audit verify catches a record changed, removed or appended unsealed in the database",
          "[cli][audit][portable]") {
  KeyedPortal keyed;
  auto& portal = keyed.portal;
  verified_history(portal);

  auto actor = portal.query_one("SELECT actor FROM ps_change_log WHERE id = 5");
  portal.tamper("UPDATE ps_change_log SET actor = 'someone' WHERE id = 5");
  auto changed = portal.portalsync({"audit", "verify"});
  CHECK(changed.exit_code == 4);
  CHECK_THAT(changed.out, Catch::Contains("record 5 was changed"));
  portal.tamper("UPDATE ps_change_log SET actor = '" + actor + "' WHERE id = 5");
  REQUIRE(portal.portalsync({"audit", "verify"}).exit_code == 0);

  portal.tamper(
      "INSERT INTO ps_change_log(at, actor, operation, kind, subject_id, result) VALUES ('" +
      utc_in(0) + "', 'cli:root', 'delete', 'account', 1, 'applied')");
  auto appended = portal.portalsync({"audit", "verify"});
  CHECK(appended.exit_code == 4);
  CHECK_THAT(appended.out, Catch::Contains("record 27 is not sealed"));
  portal.tamper("DELETE FROM ps_change_log WHERE id = 27");

  portal.tamper("DELETE FROM ps_change_log WHERE id = 6");
  auto removed = portal.portalsync({"audit", "verify"});
  CHECK(removed.exit_code == 4);
  CHECK_THAT(removed.out, Catch::Contains("record 6 was removed"));
}

TEST_CASE("records without a hash, a blanked hash and a chain recomputed without the key fail",
          "[cli][audit]") {
  KeyedPortal keyed;
  auto& portal = keyed.portal;
  synced_portal_with_history(portal);
  auto copy = portal.dir().file("pristine.db");
  std::filesystem::copy_file(portal.database(), copy);
  auto restore = [&] {
    std::filesystem::copy_file(copy, portal.database(),
                               std::filesystem::copy_options::overwrite_existing);
  };

  // A forged record appended unsealed is reported, and the next run does not seal it in.
  sqlite3(portal,
          "INSERT INTO ps_change_log(at, actor, operation, kind, subject_id, result) VALUES "
          "(strftime('%Y-%m-%dT%H:%M:%SZ','now'), 'cli:root', 'delete', 'account', 1, 'applied')");
  auto appended = portal.portalsync({"audit", "verify"});
  CHECK(appended.exit_code == 4);
  CHECK_THAT(appended.out, Catch::Contains("record 27 is not sealed"));
  portal.exec("UPDATE accounts SET title = '秘書' WHERE id = 2");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  CHECK_THAT(portal.portalsync({"audit", "verify"}).out,
             Catch::Contains("record 27 is not sealed"));

  restore();
  sqlite3(portal, "UPDATE ps_change_log SET message = 'ok', hash = NULL WHERE id = 26");
  auto blanked = portal.portalsync({"audit", "verify"});
  CHECK(blanked.exit_code == 4);
  CHECK_THAT(blanked.out, Catch::Contains("record 26 is not sealed"));

  // Everything recomputed the way the old, unkeyed chain was: SHA-256 over the same bytes.
  restore();
  sqlite3(portal, "UPDATE ps_change_log SET subject_name = 'nobody' WHERE id = 3");
  {
    soci::session sql(soci::sqlite3, "db=" + portal.database());
    std::vector<ps::StoredRecord> all;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << ps::kStoredColumns << " FROM ps_change_log ORDER BY id");
    for (const auto& row : rows) all.push_back(ps::stored_from_row(row));
    std::string prev;
    for (auto& s : all) {
      auto h =
          ps::record_hash("", prev, ps::canonical_record(s.record, s.completed_at, s.outcome_of));
      long long id = s.record.id;
      sql << "UPDATE ps_change_log SET prev_hash = :p, hash = :h WHERE id = :i", soci::use(prev),
          soci::use(h), soci::use(id);
      prev = h;
    }
  }
  auto recomputed = portal.portalsync({"audit", "verify"});
  CHECK(recomputed.exit_code == 4);
  CHECK_THAT(recomputed.out, Catch::Contains("record 1 was changed"));
}

TEST_CASE("an anchor kept outside catches a truncated tail, no key is not tamper-evident",
          "[cli][audit]") {
  KeyedPortal keyed;
  auto& portal = keyed.portal;
  synced_portal_with_history(portal);
  auto middle = portal.portalsync({"audit", "anchor"});
  REQUIRE(middle.exit_code == 0);
  portal.exec("UPDATE accounts SET title = '秘書' WHERE id = 2");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  auto anchor = portal.portalsync({"audit", "anchor"});
  REQUIRE(anchor.exit_code == 0);
  CHECK_THAT(anchor.out, Catch::Matches("28:[0-9a-f]{64}\n"));
  auto line = anchor.out.substr(0, anchor.out.size() - 1);
  auto colon = middle.out.find(':');
  write_file(portal.dir().file("anchors.txt"),
             "Dec 01 portalsyncd[1]: audit anchor seq=" + middle.out.substr(0, colon) +
                 " hash=" + middle.out.substr(colon + 1) + "not an anchor\n" + line + "\n");

  sqlite3(portal, "DELETE FROM ps_change_log WHERE id > 26");
  CHECK(portal.portalsync({"audit", "verify"}).exit_code == 0);  // a clean cut looks whole...
  auto caught = portal.portalsync({"audit", "verify", "--anchor", line});
  CHECK(caught.exit_code == 4);  // ...until the anchor says where it ended
  CHECK_THAT(caught.out,
             Catch::Contains("the log ends at record 26, but an anchor names record 28"));
  auto from_file =
      portal.portalsync({"audit", "verify", "--anchors", portal.dir().file("anchors.txt")});
  CHECK(from_file.exit_code == 4);
  CHECK(portal.portalsync({"audit", "verify", "--anchor", "12:zz"}).exit_code == 1);

  // The same database read with a configuration without the key: not "intact".
  auto unkeyed = portal.dir().file("unkeyed.yaml");
  auto text = read_file(portal.config());
  write_file(unkeyed, text.substr(0, text.find("audit:")));
  auto weak = run({bin("portalsync"), "audit", "verify", "-c", unkeyed});
  CHECK(weak.exit_code == 5);
  CHECK_THAT(weak.out, Catch::Contains("NOT TAMPER-EVIDENT"));
  auto check = run({bin("portalsync"), "check-config", "-c", unkeyed});
  CHECK_THAT(check.out, Catch::Contains("NOT TAMPER-EVIDENT"));
  // A checkpoint forged after deleting the oldest records is not accepted without the key either.
  sqlite3(portal,
          "DELETE FROM ps_change_log WHERE id <= 10; INSERT INTO ps_audit_checkpoints(created_at, "
          "last_id, last_hash, records, export_file, export_sha256, signature) SELECT 'x', 10, "
          "prev_hash, 10, 'f', 's', 'forged' FROM ps_change_log WHERE id = 11");
  CHECK(run({bin("portalsync"), "audit", "verify", "-c", unkeyed}).exit_code == 5);
  CHECK(portal.portalsync({"audit", "verify"}).exit_code == 4);
}

TEST_CASE("national IDs never appear unmasked in anything a run produces",
          "[cli][audit][masking]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, "  national_id_attribute: employeeNumber\n");
  synced_portal_with_history(portal);
  portal.exec("UPDATE accounts SET national_id = 'D223456780' WHERE id = 1");
  std::string everything;
  for (auto args : std::vector<std::vector<std::string>>{{"sync", "--once"},
                                                         {"plan", "--json"},
                                                         {"plan"},
                                                         {"plan", "--ldif"},
                                                         {"audit", "query", "--format", "json"},
                                                         {"audit", "query", "--format", "csv"},
                                                         {"idle", "report"},
                                                         {"schedule", "list", "--json"}}) {
    auto r = portal.portalsync(args);
    everything += r.out + r.err;
  }
  auto db = portal.portalsync({"audit", "query"}).out;
  for (const auto* id : {"D223456789", "D223456780", "R123456780"}) {
    CHECK(everything.find(id) == std::string::npos);
    CHECK(db.find(id) == std::string::npos);
  }
  CHECK_THAT(portal.portalsync({"audit", "query", "--account", "chen.yating"}).out,
             Catch::Contains("D2234*****"));
  // The directory itself carries it only because this config maps it.
  CHECK(slapd.search(portal.base_dn(), "(uid=chen.yating)").at(0).first("employeenumber") ==
        "D223456780");
}

TEST_CASE("retention exports, prunes and leaves a signed checkpoint the chain continues from",
          "[cli][audit][retention]") {
  KeyedPortal keyed;
  auto& portal = keyed.portal;
  auto& keys = keyed.keys;
  synced_portal_with_history(portal);
  auto nothing = portal.portalsync({"audit", "prune"});  // everything is younger than a year
  CHECK_THAT(nothing.out, Catch::Contains("nothing to prune"));

  // Tampering first: prune refuses rather than sign over it.
  auto copy = portal.dir().file("pristine.db");
  std::filesystem::copy_file(portal.database(), copy);
  sqlite3(portal, "UPDATE ps_change_log SET result = 'failed' WHERE id = 5");
  auto refused = portal.portalsync({"audit", "prune", "--before", "2100-01-01"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("refused: the change log does not verify"));
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log") == "26");
  std::filesystem::copy_file(copy, portal.database(),
                             std::filesystem::copy_options::overwrite_existing);

  auto pruned = portal.portalsync({"audit", "prune", "--before", "2100-01-01"});
  INFO(pruned.out << pruned.err);
  REQUIRE(pruned.exit_code == 0);
  CHECK_THAT(pruned.out, Catch::Contains("pruned 26 records"));
  auto file = keys.file("exports") + "/change-log-1-26.jsonl";
  auto exported = read_file(file);
  CHECK(std::count(exported.begin(), exported.end(), '\n') == 26);
  // Each intent goes with its outcome record, which carries the answer and its time.
  CHECK_THAT(exported, Catch::Contains("\"operation\":\"outcome\"") &&
                           Catch::Contains("\"result\":\"applied\""));
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log") == "0");
  auto export_ok = portal.portalsync({"audit", "verify", "--export", file});
  INFO(export_ok.out << export_ok.err);
  CHECK(export_ok.exit_code == 0);
  CHECK_THAT(export_ok.out, Catch::Contains("export intact"));

  portal.exec("UPDATE accounts SET title = '秘書' WHERE id = 2");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  auto ok = portal.portalsync({"audit", "verify"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("chain intact: 2 records verified"));

  auto edited = exported;
  edited.replace(edited.find("lin.wei"), 7, "lin.wex");
  write_file(file, edited);
  auto export_bad = portal.portalsync({"audit", "verify", "--export", file});
  CHECK(export_bad.exit_code == 4);

  sqlite3(portal, "UPDATE ps_audit_checkpoints SET last_hash = 'forged' WHERE kind = 'prune'");
  auto forged = portal.portalsync({"audit", "verify"});
  CHECK(forged.exit_code == 4);
  CHECK_THAT(forged.out, Catch::Contains("does not carry a valid signature"));
}

namespace {

// openpyxl (Debian's python3-openpyxl, so Debian's python3 whatever comes first in PATH), as an
// auditor's script would read the workbook: every sheet, the frozen pane, each
// non-empty cell as "COORD TYPE VALUE" (TYPE s: a string, f: a formula, n: a number), and whether
// each column is at least as wide as its widest cell with Chinese characters counted twice.
const char* kReadWorkbook = R"(
import sys, unicodedata, openpyxl
from openpyxl.utils import get_column_letter
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets", len(wb.worksheets))
ws = wb.worksheets[0]
print("frozen", ws.freeze_panes)
widest = {}
for row in ws.iter_rows():
    for c in row:
        if c.value is None: continue
        print(c.coordinate, c.data_type, c.value)
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(c.value))
        widest[c.column] = max(widest.get(c.column, 0), w)
narrow = [get_column_letter(k) for k, w in widest.items()
          if (ws.column_dimensions[get_column_letter(k)].width or 0) < min(w, 60)]
print("narrow columns", narrow)
)";

RunResult read_workbook(const std::string& path) {
  auto r = run({"/usr/bin/python3", "-c", kReadWorkbook, path});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

}  // namespace

TEST_CASE("audit query --format xlsx writes a workbook openpyxl reads back as written",
          "[cli][audit]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  synced_portal_with_history(portal);
  // A reason that Excel would run as a formula if it were written as one.
  auto added = portal.portalsync({"schedule", "add", "--account", "lin.wei", "--kind", "disable",
                                  "--at", "2030-01-01T08:00:00+08:00", "--reason",
                                  "=HYPERLINK(\"http://evil.example\",\"x\")"});
  INFO(added.out << added.err);
  REQUIRE(added.exit_code == 0);
  auto file = portal.dir().file("audit.xlsx");
  auto xlsx = portal.portalsync({"audit", "query", "--format", "xlsx", "--roc", "--out", file});
  INFO(xlsx.out << xlsx.err);
  REQUIRE(xlsx.exit_code == 0);
  auto book = read_workbook(file).out;
  INFO(book);
  CHECK_THAT(book, Catch::Contains("sheets 1\n"));
  CHECK_THAT(book, Catch::Contains("frozen A2\n"));
  CHECK_THAT(book, Catch::Contains("A1 s id\nB1 s time (Asia/Taipei)\n"));
  CHECK_THAT(book, Catch::Contains("A2 n 1\n"));
  CHECK_THAT(book, Catch::Contains(" s 民國 1"));  // a ROC date, as text
  CHECK_THAT(book, Catch::Contains("戶政科"));     // a Chinese name
  CHECK_THAT(book, Catch::Contains(" s =HYPERLINK(\"http://evil.example\",\"x\")\n"));
  CHECK_THAT(book, !Catch::Contains(" f "));  // no formula anywhere
  CHECK_THAT(book, Catch::Contains("narrow columns []"));

  auto gregorian = portal.portalsync({"audit", "query", "--format", "xlsx", "--out", file});
  REQUIRE(gregorian.exit_code == 0);
  CHECK_THAT(read_workbook(file).out, !Catch::Contains("民國"));
  CHECK(portal.portalsync({"audit", "query", "--format", "xlsx"}).exit_code == 1);  // no --out
  CHECK(portal.portalsync({"audit", "query", "--format", "xls", "--out", file}).exit_code == 1);
}

TEST_CASE("a scheduled change added and cancelled is recorded with a subject kind of its own",
          "[cli][audit]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  synced_portal_with_history(portal);
  auto added = portal.portalsync({"schedule", "add", "--account", "lin.wei", "--kind", "disable",
                                  "--at", "2030-01-01T08:00:00+08:00", "--reason", "離職"});
  INFO(added.out << added.err);
  REQUIRE(added.exit_code == 0);
  REQUIRE(portal.portalsync({"schedule", "cancel", "1"}).exit_code == 0);
  auto rows =
      run({"sqlite3", portal.database(),
           "SELECT operation || '|' || kind || '|' || subject_id || '|' || subject_name || '|' || "
           "unit_id || '|' || reason FROM ps_change_log WHERE category = 'scheduled change' "
           "ORDER BY id"})
          .out;
  CHECK(rows ==
        "schedule|scheduled_change|1|disable lin.wei|3|離職\n"
        "cancel|scheduled_change|1|disable lin.wei|3|離職\n");
  // Found by the account's unit, not by an account whose id happens to be 1.
  auto unit =
      portal.portalsync({"audit", "query", "--unit", "A01-1", "--category", "scheduled change"});
  CHECK_THAT(unit.out, Catch::Contains("scheduled_change disable lin.wei (1)"));
  auto account = portal.portalsync({"audit", "query", "--account", "chen.yating"});
  CHECK_THAT(account.out, !Catch::Contains("scheduled_change"));
  // The chain still verifies with the new subject kinds.
  CHECK_THAT(portal.portalsync({"audit", "verify"}).out, Catch::Contains("No damage found"));
}

TEST_CASE(
    "portal changes: a transfer found from both units, the portal as actor with its reason, "
    "a deleted account's id, name and unit",
    "[cli][audit]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  synced_portal_with_history(portal);  // wang.xm (3) moved from 民政局 A01 (2) to 教育局 A02 (4)
  auto left = portal.portalsync({"audit", "query", "--unit", "A01", "--category", "unit transfer"});
  INFO(left.out << left.err);
  CHECK_THAT(left.out, Catch::Contains("move") && Catch::Contains("wang.xm"));
  auto joined =
      portal.portalsync({"audit", "query", "--unit", "A02", "--category", "unit transfer"});
  CHECK_THAT(joined.out, Catch::Contains("wang.xm"));
  CHECK(run({"sqlite3", portal.database(),
             "SELECT actor || '|' || unit_id || '|' || from_unit_id FROM ps_change_log WHERE "
             "operation = 'move' AND outcome_of IS NULL"})
            .out == "portal|4|2\n");

  portal.exec("UPDATE accounts SET status = 'disabled', disabled_reason = '離職' WHERE id = 2");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  CHECK(run({"sqlite3", portal.database(),
             "SELECT actor || '|' || reason FROM ps_change_log WHERE operation = 'disable' AND "
             "subject_name = 'lin.wei' AND outcome_of IS NULL"})
            .out == "portal|portal status disabled: 離職\n");

  portal.exec("DELETE FROM accounts WHERE id = 3");
  auto sync = portal.portalsync({"sync", "--once"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.exit_code == 0);
  auto deleted = run({"sqlite3", portal.database(),
                      "SELECT subject_id || '|' || subject_name || '|' || unit_id FROM "
                      "ps_change_log WHERE operation = 'delete' AND kind = 'account'"})
                     .out;
  CHECK(deleted == "3|wang.xm|4\n");
  // Found by the name the portal no longer has: the whole history, the delete included.
  auto history = portal.portalsync({"audit", "query", "--account", "wang.xm"});
  INFO(history.err);
  REQUIRE(history.exit_code == 0);
  CHECK_THAT(history.out, Catch::Contains("delete"));
  CHECK_THAT(history.out, Catch::Contains("move"));
  CHECK_THAT(portal.portalsync({"audit", "query", "--unit", "A02"}).out, Catch::Contains("delete"));
  auto nobody = portal.portalsync({"audit", "query", "--account", "never.existed"});
  CHECK(nobody.exit_code == 1);
  CHECK_THAT(nobody.err, Catch::Contains("in the portal or the change log"));
}
