// What a batch of change-journal entries touches, and the names the journal stores.
#include <catch2/catch.hpp>

#include "core/change_journal.h"

using namespace ps;

namespace {

JournalEntry entry(JournalTable table, RowId row, RowId related = 0,
                   JournalOp op = JournalOp::update) {
  static std::int64_t next_id = 0;
  return {++next_id, table, row, related, op, "2026-11-25T06:30:00.000Z"};
}

}  // namespace

TEST_CASE("journal table and operation names read back as what they were written as", "[journal]") {
  for (auto t : {JournalTable::org_units, JournalTable::accounts, JournalTable::shared_accounts,
                 JournalTable::systems, JournalTable::org_unit_systems,
                 JournalTable::account_systems, JournalTable::scheduled_changes})
    CHECK(parse_journal_table(to_string(t)) == t);
  CHECK(parse_journal_table("printers") == JournalTable::unknown);
  CHECK(parse_journal_table("") == JournalTable::unknown);
  CHECK(to_string(JournalOp::remove) == "delete");
  for (auto op : {JournalOp::insert, JournalOp::update, JournalOp::remove})
    CHECK(parse_journal_op(to_string(op)) == op);
  CHECK_FALSE(parse_journal_op("truncate"));
}

TEST_CASE("row changes affect the row itself, by kind", "[journal]") {
  auto a = affected_objects(
      {entry(JournalTable::accounts, 7), entry(JournalTable::accounts, 7, 0, JournalOp::remove),
       entry(JournalTable::org_units, 3, 0, JournalOp::insert), entry(JournalTable::systems, 2),
       entry(JournalTable::shared_accounts, 4), entry(JournalTable::scheduled_changes, 9, 7)});
  CHECK(a.accounts == std::set<RowId>{7});
  CHECK(a.units == std::set<RowId>{3});
  CHECK(a.systems == std::set<RowId>{2});
  CHECK(a.shared_accounts == std::set<RowId>{4});
  CHECK(a.scheduled_changes == std::set<RowId>{9});
  // A reservation changes its account only when it is executed, which journals the account.
  CHECK(a.unit_grants.empty());
  CHECK_FALSE(a.unknown_table);
  CHECK_FALSE(a.empty());
}

TEST_CASE("a grant affects its holder and the system, a unit grant everyone below the unit",
          "[journal]") {
  auto a = affected_objects({entry(JournalTable::account_systems, 11, 2, JournalOp::insert),
                             entry(JournalTable::org_unit_systems, 5, 3, JournalOp::remove)});
  CHECK(a.accounts == std::set<RowId>{11});
  CHECK(a.unit_grants == std::set<RowId>{5});
  CHECK(a.units.empty());  // the unit's own entry did not change
  CHECK(a.systems == std::set<RowId>{2, 3});
}

TEST_CASE("an entry of an unknown table asks for a full reconcile", "[journal]") {
  auto a = affected_objects({entry(JournalTable::unknown, 1)});
  CHECK(a.unknown_table);
  CHECK_FALSE(a.empty());
  CHECK(a.accounts.empty());
}

TEST_CASE("no entries affect nothing", "[journal]") { CHECK(affected_objects({}).empty()); }
