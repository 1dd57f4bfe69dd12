// The triggers that fill ps_change_journal: one entry per inserted, updated or deleted row of an
// interface table, whoever writes it (the portal, portalsync, a sqlite3 shell).
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

namespace ps {

struct JournalTrigger {
  std::string name;   // ps_journal_<table>_<insert|update|rekey|delete>
  std::string table;  // the interface table it is on
  std::string ddl;    // CREATE TRIGGER IF NOT EXISTS ...
};

// Every trigger, generated from interface_tables(): the columns they watch are the ones the
// engine reads.
const std::vector<JournalTrigger>& journal_triggers();

// Creates the triggers that are missing (a table the portal rebuilt has lost its triggers).
// The interface columns must have been checked first: SQLite resolves a trigger's columns only
// when the table is written, so a trigger naming a missing column would make the portal's writes
// fail.
void install_journal_triggers(soci::session& sql);

// The interface tables that lack one of their triggers, in table order.
std::vector<std::string> tables_missing_journal_triggers(soci::session& sql);

}  // namespace ps
