#include "store/journal_triggers.h"

#include <algorithm>

#include "core/change_journal.h"
#include "store/schema_migrations.h"

namespace ps {

namespace {

// How each interface table is journaled. The row id is the first key column; for a grant that is
// its holder (unit or account) and related the system, since a grant has no id of its own.
struct CapturedTable {
  std::string name;
  std::vector<std::string> key;  // the columns that identify the row
  std::string related;           // journaled as related_id; "" for none
  // Columns an update may change without being journaled: nothing the sync writes to the
  // directory depends on them, and the portal writes them far more often than anything else.
  std::vector<std::string> ignored;
};

const std::vector<CapturedTable>& captured_tables() {
  static const std::vector<CapturedTable> tables = {
      {"org_units", {"id"}, "", {}},
      // Sign-ins and the idle baseline are read by the daily idle rule from a full snapshot.
      {"accounts", {"id"}, "", {"last_login_at", "activated_at", "updated_at"}},
      {"shared_accounts", {"id"}, "", {}},
      {"systems", {"id"}, "", {}},
      {"org_unit_systems", {"org_unit_id", "system_id"}, "system_id", {}},
      {"account_systems", {"account_id", "system_id"}, "system_id", {}},
      {"scheduled_changes", {"id"}, "account_id", {}},
  };
  return tables;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The columns whose change makes an update worth journaling.
std::vector<std::string> watched_columns(const CapturedTable& t) {
  for (const auto& table : interface_tables()) {
    if (table.name != t.name) continue;
    std::vector<std::string> out;
    for (const auto& c : table.columns)
      if (!contains(t.key, c) && !contains(t.ignored, c)) out.push_back(c);
    return out;
  }
  return {};
}

// Any of the columns changed.
std::string any_changed(const Dialect& d, const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : " OR ") + d.changed(c);
  return out;
}

using Entries = std::vector<std::pair<std::string, JournalOp>>;

JournalTrigger trigger(const CapturedTable& t, const std::string& suffix, const std::string& event,
                       const std::string& when, Entries entries) {
  return {"ps_journal_" + t.name + "_" + suffix,
          t.name,
          event,
          when,
          t.key.front(),
          t.related,
          std::move(entries)};
}

void add_triggers(const Dialect& d, std::vector<JournalTrigger>& out, const CapturedTable& t) {
  out.push_back(trigger(t, "insert", "INSERT", "", {{"NEW", JournalOp::insert}}));
  out.push_back(trigger(t, "delete", "DELETE", "", {{"OLD", JournalOp::remove}}));
  // An update that changes the row's key makes it another row: the old one is gone. The two
  // update triggers' conditions exclude each other, so no update is journaled by both.
  auto rekeyed = any_changed(d, t.key);
  out.push_back(trigger(t, "rekey", "UPDATE", rekeyed,
                        {{"OLD", JournalOp::remove}, {"NEW", JournalOp::insert}}));
  auto watched = watched_columns(t);
  if (watched.empty()) return;  // a grant is nothing but its key
  out.push_back(trigger(t, "update", "UPDATE",
                        "NOT (" + rekeyed + ") AND (" + any_changed(d, watched) + ")",
                        {{"NEW", JournalOp::update}}));
}

}  // namespace

std::vector<JournalTrigger> journal_triggers(const Dialect& dialect) {
  std::vector<JournalTrigger> out;
  for (const auto& t : captured_tables()) add_triggers(dialect, out, t);
  return out;
}

// Only the missing ones: PostgreSQL has no CREATE TRIGGER IF NOT EXISTS, and replacing a trigger
// that is there would take a lock on the portal's table for nothing.
void install_journal_triggers(soci::session& sql) {
  const auto& dialect = dialect_of(sql);
  auto present = dialect.installed_journal_triggers(sql);
  for (const auto& t : journal_triggers(dialect))
    if (!contains(present, t.name + "/" + t.table)) sql << dialect.trigger_ddl_for(sql, t);
}

std::vector<std::string> tables_missing_journal_triggers(soci::session& sql) {
  const auto& dialect = dialect_of(sql);
  auto present = dialect.installed_journal_triggers(sql);
  std::vector<std::string> out;
  for (const auto& t : journal_triggers(dialect))
    if (!contains(present, t.name + "/" + t.table) && !contains(out, t.table))
      out.push_back(t.table);
  return out;
}

}  // namespace ps
