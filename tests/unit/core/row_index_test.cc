#include "core/row_index.h"

#include <catch2/catch.hpp>

#include <map>
#include <random>

using ps::RowId;
using ps::RowIndex;

TEST_CASE("row index: set, replace and find", "[row_index]") {
  RowIndex index;
  CHECK(index.find(1) == nullptr);
  CHECK_FALSE(index.contains(0));
  index.set(10, 3);
  index.set(0, 7);  // any id works, 0 included
  index.set(-5, 9);
  REQUIRE(index.find(10));
  CHECK(*index.find(10) == 3);
  CHECK(*index.find(0) == 7);
  CHECK(*index.find(-5) == 9);
  index.set(10, 4);
  CHECK(*index.find(10) == 4);
  CHECK(index.size() == 3);
  CHECK_FALSE(index.contains(11));
}

TEST_CASE("row index: agrees with std::map over 100,000 ids", "[row_index]") {
  RowIndex index;
  std::map<RowId, int> expected;
  std::mt19937_64 random(42);
  for (int i = 0; i < 100000; ++i) {
    RowId id = i % 3 == 0 ? i : static_cast<RowId>(random() % 1000000);
    index.set(id, i);
    expected[id] = i;
  }
  CHECK(index.size() == expected.size());
  for (const auto& [id, value] : expected) {
    const int* found = index.find(id);
    REQUIRE(found);
    CHECK(*found == value);
  }
  for (RowId id = 1000000; id < 1000100; ++id) CHECK_FALSE(index.contains(id));
}
