// The change log as an auditor uses it: queries by account, unit and actor, CSV for Excel, the hash
// chain catching each kind of tampering, and national IDs never leaving the portal unmasked.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;

namespace {

void synced_portal_with_history(const PortalFixture& portal) {
  portal.seed_small_tree();
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  portal.exec(
      "UPDATE accounts SET title = '專員' WHERE id = 2; UPDATE accounts SET org_unit_id = 4 WHERE "
      "id = 3");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
}

}  // namespace

TEST_CASE("audit query filters by account, unit and result, and exports CSV for Excel",
          "[cli][audit]") {
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
  CHECK_THAT(bad.err, Catch::Contains("--from \"yesterday\" is not ISO 8601"));
}

TEST_CASE("audit verify catches a changed, removed, inserted and reordered record",
          "[cli][audit]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  synced_portal_with_history(portal);
  auto ok = portal.portalsync({"audit", "verify"});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("chain intact: 13 records verified"));
  auto copy = portal.dir().file("pristine.db");
  std::filesystem::copy_file(portal.database(), copy);
  auto restore = [&] {
    std::filesystem::copy_file(copy, portal.database(),
                               std::filesystem::copy_options::overwrite_existing);
  };
  auto verify = [&](const std::string& tamper) {
    restore();
    portal.exec(tamper);
    return portal.portalsync({"audit", "verify"});
  };

  auto changed = verify("UPDATE ps_change_log SET result = 'failed' WHERE id = 5");
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
  CHECK_THAT(reordered.out, Catch::Contains("record 3 is out of order"));
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
  SlapdServer slapd;
  TempDir keys;
  write_file(keys.file("audit.key"), "a-long-enough-audit-key-for-tests\n", 0600);
  PortalFixture portal(slapd, "audit:\n  retain_days: 365\n  export_dir: \"" +
                                  keys.file("exports") + "\"\n  key_file: \"" +
                                  keys.file("audit.key") + "\"\n");
  synced_portal_with_history(portal);
  auto nothing = portal.portalsync({"audit", "prune"});  // everything is younger than a year
  CHECK_THAT(nothing.out, Catch::Contains("nothing to prune"));
  auto pruned = portal.portalsync({"audit", "prune", "--before", "2100-01-01"});
  INFO(pruned.out << pruned.err);
  REQUIRE(pruned.exit_code == 0);
  CHECK_THAT(pruned.out, Catch::Contains("pruned 13 records"));
  auto exported = read_file(keys.file("exports") + "/change-log-1-13.jsonl");
  CHECK(std::count(exported.begin(), exported.end(), '\n') == 13);
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log") == "0");

  portal.exec("UPDATE accounts SET title = '秘書' WHERE id = 2");
  REQUIRE(portal.portalsync({"sync", "--once"}).exit_code == 0);
  auto ok = portal.portalsync({"audit", "verify"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("chain intact: 1 records verified"));

  portal.exec("UPDATE ps_audit_checkpoints SET last_hash = 'forged'");
  auto forged = portal.portalsync({"audit", "verify"});
  CHECK(forged.exit_code == 4);
  CHECK_THAT(forged.out, Catch::Contains("does not carry a valid signature"));
}
