// The triggers that fill ps_change_journal: one entry per inserted, updated or deleted row of an
// interface table, whoever writes it (the portal, portalsync, a sqlite3 shell).
#pragma once

#include <soci/soci.h>

#include <string>
#include <utility>
#include <vector>

#include "core/change_journal.h"
#include "store/dialect.h"

namespace ps {

// What a trigger does; the dialect writes its DDL (Dialect::trigger_ddl).
struct JournalTrigger {
  std::string name;     // ps_journal_<table>_<insert|update|rekey|delete>
  std::string table;    // the interface table it is on
  std::string event;    // INSERT, UPDATE or DELETE
  std::string when;     // the condition, in the dialect's SQL; "" for none
  std::string key;      // the column journaled as row_id
  std::string related;  // the column journaled as related_id; "" for none
  std::vector<std::pair<std::string, JournalOp>> entries;  // row ("OLD"/"NEW") and operation
};

// Every trigger, generated from interface_tables(): the columns they watch are the ones the
// engine reads.
std::vector<JournalTrigger> journal_triggers(const Dialect& dialect = sqlite_dialect());

// Creates the triggers that are missing (a table the portal rebuilt has lost its triggers).
// The interface columns must have been checked first: SQLite resolves a trigger's columns only
// when the table is written, so a trigger naming a missing column would make the portal's writes
// fail.
void install_journal_triggers(soci::session& sql);

// The interface tables that lack one of their triggers, in table order.
std::vector<std::string> tables_missing_journal_triggers(soci::session& sql);

}  // namespace ps
