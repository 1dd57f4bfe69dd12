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

// "OLD.a IS NOT NEW.a OR OLD.b IS NOT NEW.b": IS NOT, so that NULL to a value counts.
std::string any_changed(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns)
    out += (out.empty() ? "" : " OR ") + ("OLD." + c + " IS NOT NEW." + c);
  return out;
}

// One INSERT into the journal for the row as OLD or NEW.
std::string journal_insert(const CapturedTable& t, const std::string& row, JournalOp op) {
  std::string related = t.related.empty() ? "NULL" : row + "." + t.related;
  return "INSERT INTO ps_change_journal(table_name, row_id, related_id, operation, changed_at) "
         "VALUES ('" +
         t.name + "', " + row + "." + t.key.front() + ", " + related + ", '" +
         std::string(to_string(op)) + "', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
}

JournalTrigger trigger(const CapturedTable& t, const std::string& suffix, const std::string& event,
                       const std::string& when, const std::string& body) {
  auto name = "ps_journal_" + t.name + "_" + suffix;
  return {name, t.name,
          "CREATE TRIGGER IF NOT EXISTS " + name + " AFTER " + event + " ON " + t.name +
              (when.empty() ? "" : " WHEN " + when) + " BEGIN " + body + " END"};
}

void add_triggers(std::vector<JournalTrigger>& out, const CapturedTable& t) {
  out.push_back(trigger(t, "insert", "INSERT", "", journal_insert(t, "NEW", JournalOp::insert)));
  out.push_back(trigger(t, "delete", "DELETE", "", journal_insert(t, "OLD", JournalOp::remove)));
  // An update that changes the row's key makes it another row: the old one is gone. The two
  // update triggers' conditions exclude each other, so no update is journaled by both.
  auto rekeyed = any_changed(t.key);
  out.push_back(trigger(t, "rekey", "UPDATE", rekeyed,
                        journal_insert(t, "OLD", JournalOp::remove) + " " +
                            journal_insert(t, "NEW", JournalOp::insert)));
  auto watched = watched_columns(t);
  if (watched.empty()) return;  // a grant is nothing but its key
  out.push_back(trigger(t, "update", "UPDATE",
                        "NOT (" + rekeyed + ") AND (" + any_changed(watched) + ")",
                        journal_insert(t, "NEW", JournalOp::update)));
}

}  // namespace

const std::vector<JournalTrigger>& journal_triggers() {
  static const std::vector<JournalTrigger> triggers = [] {
    std::vector<JournalTrigger> out;
    for (const auto& t : captured_tables()) add_triggers(out, t);
    return out;
  }();
  return triggers;
}

void install_journal_triggers(soci::session& sql) {
  for (const auto& t : journal_triggers()) sql << t.ddl;
}

std::vector<std::string> tables_missing_journal_triggers(soci::session& sql) {
  std::vector<std::string> present;
  soci::rowset<std::string> rows =
      (sql.prepare << "SELECT name || '/' || tbl_name FROM sqlite_master WHERE type = 'trigger' "
                      "AND name LIKE 'ps_journal_%'");
  for (const auto& r : rows) present.push_back(r);
  std::vector<std::string> out;
  for (const auto& t : journal_triggers())
    if (!contains(present, t.name + "/" + t.table) && !contains(out, t.table))
      out.push_back(t.table);
  return out;
}

}  // namespace ps
