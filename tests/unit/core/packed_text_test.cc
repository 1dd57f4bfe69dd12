#include "core/packed_text.h"

#include <catch2/catch.hpp>

#include <string>

#include "core/model.h"

using ps::PackedText;

TEST_CASE("packed text: values read back as set, empty until set", "[packed_text]") {
  PackedText<3> t;
  CHECK(t.get(0).empty());
  CHECK(t.get(2).empty());
  t.assign({"王小明", "", "wang.xm@tainan.gov.tw"});
  CHECK(t.get(0) == "王小明");
  CHECK(t.get(1).empty());
  CHECK(t.get(2) == "wang.xm@tainan.gov.tw");
  t.set(1, "科員");
  CHECK(t.get(0) == "王小明");
  CHECK(t.get(1) == "科員");
  CHECK(t.get(2) == "wang.xm@tainan.gov.tw");
  t.set(0, "");
  CHECK(t.get(0).empty());
  CHECK(t.get(1) == "科員");
}

TEST_CASE("packed text: a value may be set from the block itself", "[packed_text]") {
  PackedText<2> t;
  t.assign({"2026-11-30T10:00:00+08:00", ""});
  t.set(1, t.get(0));
  CHECK(t.get(1) == "2026-11-30T10:00:00+08:00");
  t.set(0, t.get(0).substr(0, 10));
  CHECK(t.get(0) == "2026-11-30");
  CHECK(t.get(1) == "2026-11-30T10:00:00+08:00");
}

TEST_CASE("packed text: copies are deep, moves leave nothing behind", "[packed_text]") {
  PackedText<2> a;
  a.assign({"a", "b"});
  PackedText<2> b = a;
  b.set(0, "changed");
  CHECK(a.get(0) == "a");
  CHECK(b.get(0) == "changed");
  a = b;
  CHECK(a.get(0) == "changed");
  PackedText<2> c = std::move(a);
  CHECK(c.get(1) == "b");
  PackedText<2> empty;
  c = empty;
  CHECK(c.get(0).empty());
  CHECK(c.get(1).empty());
}

TEST_CASE("packed text: a value of any length, NUL bytes included", "[packed_text]") {
  PackedText<2> t;
  std::string big(100000, 'x');
  std::string with_nul("a\0b", 3);
  t.assign({big, with_nul});
  CHECK(t.get(0) == big);
  CHECK(t.get(1) == with_nul);
}

TEST_CASE("account: defaults and setters keep the other columns", "[packed_text]") {
  ps::Account a;
  CHECK(a.role() == "user");
  CHECK(a.status() == "pending");
  CHECK(a.username().empty());
  a.set_username("chen.yt");
  a.set_status("enabled");
  CHECK(a.username() == "chen.yt");
  CHECK(a.status() == "enabled");
  CHECK(a.role() == "user");
  CHECK(sizeof(ps::Account) <= 40);
}

// Regression (issue 15): a default string_view has a null data(); memcpy(dst, nullptr, 0) is
// undefined behaviour, which the sanitizer build (scripts/test --sanitize) turns into a failure.
TEST_CASE("packed text: null empty views beside values (a NULL column)", "[packed_text]") {
  PackedText<3> t;
  t.assign({std::string_view{}, "科員", std::string_view{}});
  CHECK(t.get(0).empty());
  CHECK(t.get(1) == "科員");
  CHECK(t.get(2).empty());
  ps::Account a;  // every text empty
  CHECK(a.username().empty());
}
