// SQLite: the dialect the migration steps and the trigger bodies are written in.
#include <stdexcept>

#include "core/change_journal.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/journal_triggers.h"

namespace ps {

namespace {

class SqliteDialect : public Dialect {
 public:
  void configure(soci::session& sql) const override {
    std::string mode;
    sql << "PRAGMA busy_timeout=5000", soci::into(mode);
    sql << "PRAGMA journal_mode=WAL", soci::into(mode);
    // Intents must be on disk before the directory operation they announce is sent.
    sql << "PRAGMA synchronous=FULL";
    // Off, also where SQLite was built to default it on: the engine reports a dangling reference
    // as a rejected row; enforcing it would make the portal's write fail instead.
    sql << "PRAGMA foreign_keys=OFF";
  }

  std::string ddl(const std::string& sqlite_ddl) const override { return sqlite_ddl; }
  void create_own_schema(soci::session&) const override {}  // one namespace: the ps_ prefix
  void create_interface_table(soci::session& sql, const std::string& sqlite_ddl) const override {
    sql << sqlite_ddl;
  }
  void install_own_objects(soci::session&) const override {}

  bool has_table(soci::session& sql, const std::string& table) const override {
    int count = 0;
    sql << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t",
        soci::use(table), soci::into(count);
    return count > 0;
  }

  bool has_index(soci::session& sql, const std::string& name) const override {
    int count = 0;
    sql << "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = :n", soci::use(name),
        soci::into(count);
    return count > 0;
  }

  std::vector<std::string> table_columns(soci::session& sql,
                                         const std::string& table) const override {
    std::vector<std::string> out;
    soci::rowset<soci::row> rows = (sql.prepare << "PRAGMA table_info(" << table << ")");
    for (const auto& r : rows) out.push_back(column_text(r, 1));
    return out;
  }

  std::string changed(const std::string& c) const override {
    return "OLD." + c + " IS NOT NEW." + c;
  }

  std::string trigger_ddl(const JournalTrigger& t) const override {
    std::string body;
    for (const auto& [row, op] : t.entries) {
      auto related = t.related.empty() ? "NULL" : row + "." + t.related;
      body +=
          "INSERT INTO ps_change_journal(table_name, row_id, related_id, operation, "
          "changed_at) VALUES ('" +
          t.table + "', " + row + "." + t.key + ", " + related + ", '" +
          std::string(to_string(op)) + "', " + now_utc() + "); ";
    }
    return "CREATE TRIGGER IF NOT EXISTS " + t.name + " AFTER " + t.event + " ON " + t.table +
           (t.when.empty() ? "" : " WHEN " + t.when) + " BEGIN " + body + "END";
  }

  std::vector<std::string> installed_journal_triggers(soci::session& sql) const override {
    std::vector<std::string> out;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT name || '/' || tbl_name FROM sqlite_master WHERE type = "
                        "'trigger' AND name LIKE 'ps_journal_%'");
    for (const auto& r : rows) out.push_back(r);
    return out;
  }

  std::string now_utc() const override { return "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"; }
  // SQLite's lower() changes ASCII letters only.
  std::string fold_ascii(const std::string& c) const override { return "lower(" + c + ")"; }
  std::string byte_order(const std::string& c) const override { return c; }  // BINARY

  // A SQLite transaction is one snapshot, and writers take turns: the first write holds the
  // database's write lock until commit.
  void consistent_reads(soci::session&) const override {}
  // A write takes the database's write lock until commit (a statement that changes no row too),
  // so nobody appends between this transaction's reading the chain's head and its commit.
  void lock_change_log(soci::session& sql) const override {
    sql << "UPDATE ps_change_log SET id = id WHERE 0";
  }
  // Above every id ever handed out (AUTOINCREMENT keeps the highest in sqlite_sequence, and an
  // insert with explicit ids moves it on). The transaction holds the write lock.
  std::vector<long long> reserve_change_log_ids(soci::session& sql, int count) const override {
    long long last = 0;
    sql << "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'ps_change_log'), "
           "0), COALESCE((SELECT max(id) FROM ps_change_log), 0))",
        soci::into(last);
    return ids_after(last, count);
  }
  // Anonymous: SQLite finds a named parameter by a linear search of the statement's names, which
  // made a batch of 256 change-log records (6,400 parameters) take ~100 ms to prepare and bind.
  std::string parameter(std::size_t) const override { return "?"; }

  bool try_session_lock(soci::session&, long long) const override {
    throw std::logic_error("SQLite has no session locks: lock a file beside the database");
  }
  void release_session_lock(soci::session&, long long) const override {
    throw std::logic_error("SQLite has no session locks: lock a file beside the database");
  }
  void end_session_when_silent(soci::session&, int) const override {}
  void end_session_when_idle_in_transaction(soci::session&, int) const override {}
};

}  // namespace

const Dialect& sqlite_dialect() {
  static const SqliteDialect dialect;
  return dialect;
}

}  // namespace ps
