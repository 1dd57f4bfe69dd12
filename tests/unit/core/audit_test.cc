#include <catch2/catch.hpp>

#include "core/audit.h"
#include "core/audit_filter.h"
#include "core/audit_log.h"
#include "core/text.h"

using namespace ps;

TEST_CASE("times are shown in Asia/Taipei, optionally in the ROC calendar", "[audit]") {
  CHECK(taipei_time("2024-07-22T01:30:00Z", false) == "2024-07-22 09:30:00");
  CHECK(taipei_time("2024-07-22T01:30:00Z", true) == "民國 113 年 7 月 22 日 09:30:00");
  CHECK(taipei_time("2024-12-31T20:00:00Z", true) == "民國 114 年 1 月 1 日 04:00:00");
}

TEST_CASE("CSV starts with a BOM and quotes what needs quoting", "[audit]") {
  ChangeRecord r;
  r.id = 7;
  r.at = "2026-11-25T00:00:00Z";
  r.actor = "rule:idle";
  r.subject_name = "陳,雅婷";
  r.after_json = R"({"status":"disabled"})";
  auto csv = render_audit({r}, AuditFormat::csv, false);
  CHECK(csv.rfind("\xEF\xBB\xBFid,", 0) == 0);
  CHECK_THAT(csv, Catch::Contains("\"account 陳,雅婷\""));
  CHECK_THAT(csv, Catch::Contains(R"("{""status"":""disabled""}")"));
}

TEST_CASE("the canonical encoding covers every field, the id included", "[audit]") {
  ChangeRecord a;
  a.id = 1;
  a.message = "x";
  ChangeRecord b = a;
  b.id = 2;
  CHECK(canonical_record(a, "") != canonical_record(b, ""));
  b = a;
  b.message = "y";
  CHECK(canonical_record(a, "") != canonical_record(b, ""));
}

TEST_CASE("CSV cells that would start a formula are made text (CWE-1236)", "[audit]") {
  for (const std::string cell : {"=1+1", "+SUM(1)", "-2+3", "@SUM(1) disabled", "\tx", "\rx"})
    CHECK(csv_field(cell).rfind("\"'", 0) == 0);
  CHECK(csv_field("lin.wei") == "lin.wei");
  CHECK(csv_field("\"=HYPERLINK(x)\"") == "\"\"\"=HYPERLINK(x)\"\"\"");  // starts with a quote
  ChangeRecord r;
  r.actor = "=cmd|' /C calc'!A0";
  r.message = "@SUM(1) disabled: idle";
  r.unit_id = 4;
  auto csv = render_audit({r}, AuditFormat::csv, false);
  CHECK_THAT(csv, Catch::Contains(",\"'=cmd|' /C calc'!A0\","));
  CHECK_THAT(csv, Catch::Contains(",\"'@SUM(1) disabled: idle\","));
  CHECK_THAT(csv, Catch::Contains("subject,unit_id,from_unit_id,agency_id,dn"));
  CHECK_THAT(csv, Catch::Contains("account  (0),4,") || Catch::Contains("account ,4,"));
}

TEST_CASE("anchors are read as SEQ:HASH or from the daemon's log line", "[audit]") {
  std::string hash(64, 'a');
  auto a = parse_anchor("42:" + hash + "\n");
  REQUIRE(a);
  CHECK(a->seq == 42);
  CHECK(format_anchor(*a) == "42:" + hash);
  auto logged = parse_anchor("Dec 01 portalsyncd[9]: audit anchor seq=7 hash=" + hash);
  REQUIRE(logged);
  CHECK(logged->seq == 7);
  CHECK_FALSE(parse_anchor("42:abc"));
  CHECK_FALSE(parse_anchor("x:" + hash));
  CHECK_FALSE(parse_anchor("sync: {\"adds\":3}"));
}

TEST_CASE("audit filters refuse unknown names and values, bare dates are local midnight",
          "[audit]") {
  PortalSnapshot none;
  auto taipei = [](TimePoint) { return std::chrono::minutes(8 * 60); };
  auto bad = [&](std::map<std::string, std::string> p) {
    auto f = build_audit_filter(p, none, taipei);
    REQUIRE_FALSE(f);
    return f.error();
  };
  CHECK_THAT(bad({{"acount", "x"}}), Catch::StartsWith("acount: not a filter"));
  CHECK_THAT(bad({{"category", "no such category"}}), Catch::StartsWith("category: \"no such"));
  CHECK_THAT(bad({{"result", "succeeded"}}), Catch::StartsWith("result: \"succeeded\""));
  CHECK_THAT(bad({{"account", "nobody"}}), Catch::Contains("no account named \"nobody\""));
  CHECK_THAT(bad({{"limit", "0"}}), Catch::StartsWith("limit:"));
  CHECK_THAT(bad({{"from", "yesterday"}}), Catch::StartsWith("from: \"yesterday\""));
  auto f = build_audit_filter(
      {{"from", "2026-11-01"}, {"to", "2026-12-01T00:00:00+08:00"}, {"result", "failed"}}, none,
      taipei);
  REQUIRE(f);
  CHECK(f->from == "2026-10-31T16:00:00Z");  // midnight in Taipei
  CHECK(f->to == "2026-11-30T16:00:00Z");
  CHECK(f->result == "failed");
}

TEST_CASE("a transfer's old unit is hashed, records without one encode as before", "[audit]") {
  ChangeRecord r;
  r.id = 3;
  auto before = canonical_record(r, "");
  CHECK(before.find(",0,0]") == std::string::npos);  // no tail elements
  r.from_unit_id = 2;
  CHECK(canonical_record(r, "") != before);
  CHECK(canonical_record(r, "").substr(canonical_record(r, "").size() - 5) == ",0,2]");
  CHECK(canonical_record(r, "", 9).substr(canonical_record(r, "", 9).size() - 5) == ",9,2]");
}

TEST_CASE("a record's agency is hashed last, with every earlier tail element before it",
          "[audit][agency]") {
  ChangeRecord r;
  r.id = 3;
  auto before = canonical_record(r, "");
  r.agency_id = 7;
  auto named = canonical_record(r, "");
  CHECK(named.substr(before.size() - 1) == ",0,0,0,7]");  // outcome_of, from_unit, fence, agency
  r.fence = 5;
  r.from_unit_id = 2;
  CHECK(canonical_record(r, "", 9).substr(before.size() - 1) == ",9,2,5,7]");
  r.agency_id = 0;
  CHECK(canonical_record(r, "", 9).substr(before.size() - 1) == ",9,2,5]");  // as in version 9
}

TEST_CASE("the recorded agency is shown in every format, empty or 0 when none", "[audit][agency]") {
  ChangeRecord r;
  r.unit_id = 4;
  r.agency_id = 2;
  auto cells = audit_cells(r, false);
  CHECK(audit_columns()[8].title == "agency_id");
  CHECK(cells[8] == "2");
  CHECK_THAT(render_audit({r}, AuditFormat::json, false), Catch::Contains("\"agency_id\":2"));
  CHECK_THAT(render_audit({r}, AuditFormat::table, false), Catch::Contains("  agency 2"));
  CHECK_THAT(render_audit({r}, AuditFormat::csv, false), Catch::Contains(",4,,2,"));
  r.agency_id = 0;
  CHECK(audit_cells(r, false)[8].empty());
  CHECK_THAT(render_audit({r}, AuditFormat::json, false), Catch::Contains("\"agency_id\":0"));
  CHECK_THAT(render_audit({r}, AuditFormat::table, false), !Catch::Contains("agency"));
}

TEST_CASE("the export columns: one cell per column, the old unit empty when none", "[audit]") {
  ChangeRecord r;
  r.unit_id = 4;
  auto cells = audit_cells(r, false);
  REQUIRE(cells.size() == audit_columns().size());
  CHECK(audit_columns()[6].title == "unit_id");
  CHECK(cells[6] == "4");
  CHECK(audit_columns()[7].title == "from_unit_id");
  CHECK(cells[7].empty());
}

TEST_CASE("an account gone from the portal is found through the change log", "[audit]") {
  PortalSnapshot none;
  auto utc = [](TimePoint) { return std::chrono::minutes(0); };
  auto former = [](const std::string& name) -> Result<std::optional<RowId>> {
    if (name == "wang.xm") return std::optional<RowId>(3);
    return std::optional<RowId>();
  };
  auto f = build_audit_filter({{"account", "wang.xm"}}, none, utc, former);
  REQUIRE(f);
  CHECK(f->account_id == RowId{3});
  auto nobody = build_audit_filter({{"account", "nobody"}}, none, utc, former);
  REQUIRE_FALSE(nobody);
  CHECK(nobody.code() == StatusCode::not_found);
  CHECK_THAT(nobody.error(), Catch::Contains("in the portal or the change log"));
}

TEST_CASE("display width counts Chinese and fullwidth characters as two columns", "[audit]") {
  CHECK(display_width("lin.wei") == 7);
  CHECK(display_width("戶政科") == 6);
  CHECK(display_width("民國 115 年") == 11);
  CHECK(display_width("ＡＢ") == 4);      // fullwidth forms
  CHECK(display_width("\xE6\x88") == 2);  // a cut sequence: one column per byte
}
