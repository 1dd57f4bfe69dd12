// MariaDB: portalsync's tables in a database of their own, <portal database>_portalsync, which
// the session uses; the portal's interface tables stay in the portal's database and reach the
// session through views of the same names (SQL SECURITY INVOKER: portalsync's own grants on the
// portal's tables apply). Text is utf8mb4 in byte order without padding (utf8mb4_nopad_bin):
// MariaDB's default collation ignores letter case and trailing spaces.
#include <regex>
#include <set>
#include <stdexcept>

#include "core/change_journal.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/journal_triggers.h"
#include "store/schema_migrations.h"

namespace ps {

namespace {

const std::string kOwnSuffix = "_portalsync";
const std::string kText = "CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin";

std::string quoted_name(const std::string& name) { return "`" + name + "`"; }

// The portal's database: the one the connection string names, kept in a session variable
// because the session then uses portalsync's.
std::string portal_database(soci::session& sql) {
  std::string name;
  soci::indicator ind = soci::i_null;
  sql << "SELECT @ps_portal_database", soci::into(name, ind);
  if (ind == soci::i_null || name.empty())
    throw std::runtime_error("the connection string names no database (db=NAME)");
  return name;
}

std::string own_database(soci::session& sql) { return portal_database(sql) + kOwnSuffix; }

// Where a table lives: portalsync's tables in its database, the interface tables in the portal's.
std::string database_of(soci::session& sql, const std::string& table) {
  return table.rfind("ps_", 0) == 0 ? own_database(sql) : portal_database(sql);
}

// The text columns some step or interface table makes a key or indexes: MariaDB indexes TEXT
// only by a prefix, so these become VARCHAR (a username or code longer than 255 characters is
// refused by strict mode, never cut).
const std::set<std::string>& indexed_columns() {
  static const std::set<std::string> columns = [] {
    std::vector<std::string> all;
    for (const auto& step : schema_migrations()) all.insert(all.end(), step.begin(), step.end());
    for (const auto& table : interface_tables())
      all.insert(all.end(), table.ddl.begin(), table.ddl.end());
    static const std::regex list("(PRIMARY KEY|UNIQUE| ON [a-z_]+) ?\\(([a-z_, ]+)\\)");
    static const std::regex inline_unique("([a-z_]+) TEXT UNIQUE");
    static const std::regex name("[a-z_]+");
    std::set<std::string> out;
    for (const auto& ddl : all) {
      for (std::sregex_iterator m(ddl.begin(), ddl.end(), list), end; m != end; ++m) {
        auto names = (*m)[2].str();
        for (std::sregex_iterator n(names.begin(), names.end(), name); n != end; ++n)
          out.insert(n->str());
      }
      for (std::sregex_iterator m(ddl.begin(), ddl.end(), inline_unique), end; m != end; ++m)
        out.insert((*m)[1].str());
    }
    return out;
  }();
  return columns;
}

// Every "name TEXT" of a statement in MariaDB's types.
std::string text_columns(const std::string& ddl) {
  static const std::regex column("\\b([a-z_]+) TEXT\\b");
  std::string out;
  auto last = ddl.cbegin();
  for (std::sregex_iterator m(ddl.begin(), ddl.end(), column), end; m != end; ++m) {
    out.append(last, (*m)[0].first);
    auto name = (*m)[1].str();
    out += name + (indexed_columns().count(name) ? " VARCHAR(255) " : " MEDIUMTEXT ") + kText;
    last = (*m)[0].second;
  }
  return out.append(last, ddl.cend());
}

// Journal ids come from AUTO_INCREMENT, handed out in the order transactions ask, not in the
// order they commit: a reader reading "after id N" would skip an id still in flight. Every insert
// into the journal first updates one row of ps_turns, whose lock its transaction holds until it
// ends, so journal-writing transactions take turns, as all writers do on SQLite.
std::vector<std::string> turn_objects() {
  return {
      "CREATE TABLE IF NOT EXISTS ps_turns (name VARCHAR(32) " + kText +
          " PRIMARY KEY, turn BIGINT NOT NULL DEFAULT 0) ENGINE=InnoDB",
      "INSERT IGNORE INTO ps_turns(name) VALUES ('journal'), ('change_log')",
      "CREATE DEFINER = CURRENT_USER TRIGGER IF NOT EXISTS ps_serialize_journal BEFORE INSERT ON "
      "ps_change_journal FOR EACH ROW UPDATE ps_turns SET turn = turn + 1 WHERE name = "
      "'journal'"};
}

std::string journal_insert(const JournalTrigger& t, const std::string& journal,
                           const std::string& now) {
  std::string out;
  for (const auto& [row, op] : t.entries) {
    auto related = t.related.empty() ? "NULL" : row + "." + t.related;
    out += "INSERT INTO " + journal +
           "(table_name, row_id, related_id, operation, changed_at) VALUES ('" + t.table + "', " +
           row + "." + t.key + ", " + related + ", '" + std::string(to_string(op)) + "', " + now +
           "); ";
  }
  return out;
}

class MariadbDialect : public Dialect {
 public:
  // Byte order and no padding for this session's literals too; UTC; each statement of a write
  // transaction sees what committed before it, as on PostgreSQL (consistent_reads asks for one
  // snapshot where a read needs it); values too long refused, not cut; || concatenates, as in
  // standard SQL.
  void configure(soci::session& sql) const override {
    sql << "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin";
    sql << "SET time_zone = '+00:00'";
    sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    sql << "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_TRANS_TABLES', "
           "'PIPES_AS_CONCAT', 'NO_BACKSLASH_ESCAPES')";
    sql << "SET @ps_portal_database = DATABASE()";
    if (has_database(sql, own_database(sql))) sql << "USE " + quoted_name(own_database(sql));
  }

  // SQLite's INTEGER is 64 bits and its INTEGER PRIMARY KEY assigns ids. REFERENCES go, as on
  // PostgreSQL, and partial indexes index every row (MariaDB has none).
  std::string ddl(const std::string& sqlite_ddl) const override {
    static const std::regex references(" REFERENCES [a-z_]+\\([a-z_]+\\)");
    static const std::regex autoincrement("INTEGER PRIMARY KEY AUTOINCREMENT");
    static const std::regex row_id("\\bid INTEGER PRIMARY KEY\\b");
    static const std::regex integer("\\bINTEGER\\b");
    static const std::regex partial("^(CREATE INDEX .*\\)) WHERE .*$");
    static const std::regex create_table("^(CREATE TABLE [^(]+\\([\\s\\S]*\\))$");
    auto out = std::regex_replace(sqlite_ddl, references, "");
    out = std::regex_replace(out, autoincrement, "BIGINT AUTO_INCREMENT PRIMARY KEY");
    out = std::regex_replace(out, row_id, "id BIGINT AUTO_INCREMENT PRIMARY KEY");
    out = std::regex_replace(out, integer, "BIGINT");
    out = std::regex_replace(out, partial, "$1");
    out = text_columns(out);
    // MariaDB names an index's table; the change log's indexes say it (ps_change_log_<what>).
    static const std::regex drop_index("^DROP INDEX IF EXISTS (ps_change_log_[a-z_]+)$");
    out = std::regex_replace(out, drop_index, "DROP INDEX IF EXISTS $1 ON ps_change_log");
    return std::regex_replace(out, create_table, "$1 ENGINE=InnoDB DEFAULT " + kText);
  }

  // Needs the CREATE privilege on that database only (docs/portal-schema.md).
  void create_own_schema(soci::session& sql) const override {
    auto own = quoted_name(own_database(sql));
    sql << "CREATE DATABASE IF NOT EXISTS " + own + " " + kText;
    sql << "USE " + own;
  }

  void create_interface_table(soci::session& sql, const std::string& sqlite_ddl) const override {
    // MariaDB 10.11 indexes no expression: its lookups by folded name scan (has_index says so).
    static const std::regex expression_index("^CREATE INDEX .* ON [a-z_]+\\([a-z_]+\\(");
    if (std::regex_search(sqlite_ddl, expression_index)) return;
    auto portal = quoted_name(portal_database(sql)) + ".";
    static const std::regex table("CREATE TABLE IF NOT EXISTS ");
    static const std::regex index("( ON )([a-z_]+\\()");
    auto qualified =
        std::regex_replace(ddl(sqlite_ddl), table, "CREATE TABLE IF NOT EXISTS " + portal);
    sql << std::regex_replace(qualified, index, "$1" + portal + "$2");
  }

  // The views are made again every time: a view keeps the columns its table had when it was
  // made, and the portal may have rebuilt a table since.
  void install_own_objects(soci::session& sql) const override {
    for (const auto& statement : turn_objects()) sql << statement;
    auto portal = quoted_name(portal_database(sql)) + ".";
    for (const auto& table : interface_tables())
      sql << "CREATE OR REPLACE SQL SECURITY INVOKER VIEW " + table.name + " AS SELECT * FROM " +
                 portal + table.name;
  }

  bool has_table(soci::session& sql, const std::string& table) const override {
    int count = 0;
    auto database = database_of(sql, table);
    sql << "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = :d AND "
           "TABLE_NAME = :t AND TABLE_TYPE = 'BASE TABLE'",
        soci::use(database), soci::use(table), soci::into(count);
    return count > 0;
  }

  std::vector<std::string> table_columns(soci::session& sql,
                                         const std::string& table) const override {
    std::vector<std::string> out;
    auto database = database_of(sql, table);
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                        ":d AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION",
         soci::use(database), soci::use(table));
    for (const auto& r : rows) out.push_back(r);
    return out;
  }

  // As bytes: a column under a case-insensitive collation would call 'Chen' and 'chen' equal.
  std::string changed(const std::string& c) const override {
    return "NOT (CAST(OLD." + c + " AS BINARY) <=> CAST(NEW." + c + " AS BINARY))";
  }

  // As it reads with the journal beside the portal's tables; trigger_ddl_for names both
  // databases, as it is installed.
  std::string trigger_ddl(const JournalTrigger& t) const override { return trigger_sql(t, "", ""); }

  // DEFINER is portalsync's account, which owns its database: the portal's writes need no grant
  // on it (docs/portal-schema.md: that account must outlive the triggers).
  std::string trigger_ddl_for(soci::session& sql, const JournalTrigger& t) const override {
    return trigger_sql(t, quoted_name(portal_database(sql)) + ".",
                       quoted_name(own_database(sql)) + ".");
  }

  std::vector<std::string> installed_journal_triggers(soci::session& sql) const override {
    std::vector<std::string> out;
    auto portal = portal_database(sql);
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT CONCAT(TRIGGER_NAME, '/', EVENT_OBJECT_TABLE) FROM "
                        "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = :d AND TRIGGER_NAME "
                        "LIKE 'ps\\_journal\\_%'",
         soci::use(portal));
    for (const auto& r : rows) out.push_back(r);
    return out;
  }

  // Milliseconds, as SQLite's %f.
  std::string now_utc() const override {
    return "CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')";
  }
  // LOWER() also lowers letters beyond ASCII; REPLACE matches case-sensitively. Compared as
  // bytes, whatever the column's collation.
  std::string fold_ascii(const std::string& c) const override {
    std::string out = c;
    for (char upper = 'A'; upper <= 'Z'; ++upper)
      out = "REPLACE(" + out + ", '" + upper + "', '" + static_cast<char>(upper - 'A' + 'a') + "')";
    return "CAST(" + out + " AS BINARY)";
  }
  std::string byte_order(const std::string& c) const override {
    return "CAST(" + c + " AS BINARY)";
  }

  // The transaction has just begun and read nothing: it is ended and begun again as one
  // snapshot (the session's own level, READ COMMITTED, takes one per statement).
  void consistent_reads(soci::session& sql) const override {
    sql << "COMMIT";
    sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    sql << "START TRANSACTION WITH CONSISTENT SNAPSHOT";
  }
  // Taken before the first insert, so ids are also assigned in chain order; readers still read.
  void lock_change_log(soci::session& sql) const override {
    sql << "UPDATE ps_turns SET turn = turn + 1 WHERE name = 'change_log'";
  }
  // Above every record there is and every record pruned (a checkpoint keeps the last pruned id);
  // InnoDB moves the table's AUTO_INCREMENT past explicit ids, so later INSERTs without one agree.
  std::vector<long long> reserve_change_log_ids(soci::session& sql, int count) const override {
    long long last = 0;
    sql << "SELECT GREATEST(COALESCE((SELECT MAX(id) FROM ps_change_log), 0), "
           "COALESCE((SELECT MAX(last_id) FROM ps_audit_checkpoints), 0))",
        soci::into(last);
    return ids_after(last, count);
  }

  // A named lock held by the session until it ends; names are the server's, so the name is the
  // portal database's.
  // Named locks are per server, so the name carries the portal's database (the key alone could
  // be another portal's). NULL (an error) counts as not taken.
  bool try_session_lock(soci::session& sql, long long key) const override {
    int taken = 0;
    sql << "SELECT COALESCE(GET_LOCK(CONCAT(@ps_portal_database, '.portalsync.', :k), 0), 0)",
        soci::use(key), soci::into(taken);
    return taken == 1;
  }
  void release_session_lock(soci::session& sql, long long key) const override {
    int released = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT RELEASE_LOCK(CONCAT(@ps_portal_database, '.portalsync.', :k))", soci::use(key),
        soci::into(released, ind);
  }
  void end_session_when_silent(soci::session& sql, int seconds) const override {
    sql << "SET SESSION wait_timeout = " + std::to_string(seconds);
  }
  void end_session_when_idle_in_transaction(soci::session& sql, int seconds) const override {
    sql << "SET SESSION idle_transaction_timeout = " + std::to_string(seconds);
  }

  std::string on_conflict_update(const std::string&, const std::string& column) const override {
    return "ON DUPLICATE KEY UPDATE " + column + " = VALUES(" + column + ")";
  }

 private:
  static bool has_database(soci::session& sql, const std::string& name) {
    int count = 0;
    sql << "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n",
        soci::use(name), soci::into(count);
    return count > 0;
  }

  // MariaDB's triggers have no WHEN: the condition is an IF in the body.
  std::string trigger_sql(const JournalTrigger& t, const std::string& portal,
                          const std::string& own) const {
    auto body = journal_insert(t, own + "ps_change_journal", now_utc());
    if (!t.when.empty()) body = "IF " + t.when + " THEN " + body + "END IF; ";
    return "CREATE DEFINER = CURRENT_USER TRIGGER " + portal + t.name + " AFTER " + t.event +
           " ON " + portal + t.table + " FOR EACH ROW BEGIN " + body + "END";
  }
};

}  // namespace

const Dialect& mariadb_dialect() {
  static const MariadbDialect dialect;
  return dialect;
}

}  // namespace ps
