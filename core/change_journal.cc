#include "core/change_journal.h"

namespace ps {

namespace {

constexpr JournalTable kKnownTables[] = {
    JournalTable::org_units,        JournalTable::accounts,         JournalTable::shared_accounts,
    JournalTable::systems,          JournalTable::org_unit_systems, JournalTable::account_systems,
    JournalTable::scheduled_changes};

void add_entry(AffectedObjects& out, const JournalEntry& e) {
  switch (e.table) {
    case JournalTable::org_units:
      out.units.insert(e.row_id);
      return;
    case JournalTable::accounts:
      out.accounts.insert(e.row_id);
      return;
    case JournalTable::shared_accounts:
      out.shared_accounts.insert(e.row_id);
      return;
    case JournalTable::systems:
      out.systems.insert(e.row_id);
      out.system_rows.insert(e.row_id);
      return;
    case JournalTable::org_unit_systems:
      out.unit_grants.insert(e.row_id);
      out.systems.insert(e.related_id);
      return;
    case JournalTable::account_systems:
      out.accounts.insert(e.row_id);
      out.systems.insert(e.related_id);
      return;
    case JournalTable::scheduled_changes:
      out.scheduled_changes.insert(e.row_id);
      return;
    case JournalTable::unknown:
      out.unknown_table = true;
      return;
  }
}

}  // namespace

std::string_view to_string(JournalTable t) {
  switch (t) {
    case JournalTable::org_units:
      return "org_units";
    case JournalTable::accounts:
      return "accounts";
    case JournalTable::shared_accounts:
      return "shared_accounts";
    case JournalTable::systems:
      return "systems";
    case JournalTable::org_unit_systems:
      return "org_unit_systems";
    case JournalTable::account_systems:
      return "account_systems";
    case JournalTable::scheduled_changes:
      return "scheduled_changes";
    case JournalTable::unknown:
      return "unknown";
  }
  return "?";
}

std::string_view to_string(JournalOp op) {
  switch (op) {
    case JournalOp::insert:
      return "insert";
    case JournalOp::update:
      return "update";
    case JournalOp::remove:
      return "delete";
  }
  return "?";
}

JournalTable parse_journal_table(std::string_view s) {
  for (auto t : kKnownTables)
    if (to_string(t) == s) return t;
  return JournalTable::unknown;
}

std::optional<JournalOp> parse_journal_op(std::string_view s) {
  for (auto op : {JournalOp::insert, JournalOp::update, JournalOp::remove})
    if (to_string(op) == s) return op;
  return std::nullopt;
}

bool AffectedObjects::empty() const {
  return accounts.empty() && units.empty() && unit_grants.empty() && systems.empty() &&
         shared_accounts.empty() && scheduled_changes.empty() && !unknown_table;
}

AffectedObjects affected_objects(const std::vector<JournalEntry>& entries) {
  AffectedObjects out;
  for (const auto& e : entries) add_entry(out, e);
  return out;
}

}  // namespace ps
