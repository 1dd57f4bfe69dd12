// Inputs the fuzz targets (tests/fuzz) found to misbehave, kept as regression tests.
#include <catch2/catch.hpp>
#include <chrono>

#include "core/clock.h"

using namespace ps;

TEST_CASE("a time outside TimePoint's range saturates instead of overflowing", "[clock][fuzz]") {
  // timestamp_fuzz: "8868-08-04" overflowed the nanosecond count (UB, a time in the past).
  auto far = parse_timestamp("8868-08-04");
  REQUIRE(far);
  CHECK(*far == TimePoint::max());
  CHECK(parse_timestamp("9999-12-31T23:59:59+14:00") == TimePoint::max());
  CHECK(parse_timestamp("0001-01-01") == TimePoint::min());
  CHECK(*parse_timestamp("2262-01-01") > *parse_timestamp("2026-01-01"));
  CHECK(*parse_timestamp("1700-01-01") < *parse_timestamp("1970-01-01"));
}
