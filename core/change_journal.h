// The change journal: triggers that `portalsync db init` installs on the portal interface tables
// append one entry per inserted, updated or deleted row, whoever writes it (docs/portal-schema.md).
// The daemon reads the entries after the last one it handled and syncs just the affected objects.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace ps {

// The interface table an entry is about; `unknown` for a name this build does not know (an entry
// not written by its triggers).
enum class JournalTable {
  org_units,
  accounts,
  shared_accounts,
  systems,
  org_unit_systems,
  account_systems,
  scheduled_changes,
  unknown
};
enum class JournalOp { insert, update, remove };

struct JournalEntry {
  std::int64_t id = 0;  // increasing in commit order, never reused
  JournalTable table = JournalTable::unknown;
  // The row's id; for a grant, its holder: the unit (org_unit_systems) or account
  // (account_systems).
  RowId row_id = 0;
  // The system of a grant, the account of a scheduled change; 0 for the other tables.
  RowId related_id = 0;
  JournalOp op = JournalOp::update;
  std::string changed_at;  // UTC, ISO 8601 with milliseconds
};

// The names stored in the journal: the table's own name; insert, update, delete.
std::string_view to_string(JournalTable t);
std::string_view to_string(JournalOp op);
JournalTable parse_journal_table(std::string_view s);
std::optional<JournalOp> parse_journal_op(std::string_view s);

// What a batch of entries touches, by kind. Deleted rows are included: the caller reads the
// current rows and finds them gone.
struct AffectedObjects {
  std::set<RowId> accounts;  // account rows, and accounts whose own grants changed
  std::set<RowId> units;     // unit rows: the unit's entry (its accounts carry its code)
  // Units whose grants changed: every account in the unit and in the units below it, at any
  // depth, gains or loses the system. Expanding that needs the tree, so it is the caller's job.
  std::set<RowId> unit_grants;
  std::set<RowId> systems;  // system rows, and systems whose grants changed (their group's members)
  std::set<RowId> system_rows;  // system rows themselves: a group's name or attributes changed
  std::set<RowId> shared_accounts;
  std::set<RowId> scheduled_changes;
  bool unknown_table = false;  // an entry this build cannot scope: reconcile everything

  bool empty() const;
};

AffectedObjects affected_objects(const std::vector<JournalEntry>& entries);

}  // namespace ps
