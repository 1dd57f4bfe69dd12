// Reading the change journal in tests: entries as short strings that a CHECK can compare.
#pragma once

#include <string>
#include <vector>

#include "tests/unit/store/store_test_db.h"

namespace ps::testing {

// "accounts:10:-:insert": table, row id, related id ("-" for none), operation.
inline std::string describe(const JournalEntry& e) {
  return std::string(to_string(e.table)) + ":" + std::to_string(e.row_id) + ":" +
         (e.related_id ? std::to_string(e.related_id) : "-") + ":" + std::string(to_string(e.op));
}

// Every entry after `after_id`, described, oldest first.
inline std::vector<std::string> journal_after(StoreTestDb& db, std::int64_t after_id = 0) {
  auto entries = db.store->read_journal(after_id, 1000000);
  REQUIRE_OK(entries);
  std::vector<std::string> out;
  for (const auto& e : entries.value()) out.push_back(describe(e));
  return out;
}

// The journal's head, so a test can look at only what follows it.
inline std::int64_t journal_head(StoreTestDb& db) {
  auto head = db.store->journal_head();
  REQUIRE_OK(head);
  return head.value();
}

}  // namespace ps::testing
