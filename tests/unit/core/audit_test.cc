#include <catch2/catch.hpp>

#include "core/audit.h"

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
