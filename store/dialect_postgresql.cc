// PostgreSQL: portalsync's tables in their own schema (kOwnSchema), the journal triggers calling
// one PL/pgSQL function that runs as its owner (SECURITY DEFINER), text in byte order.
// Statements avoid "::" casts and ":=": SOCI would read them as bound parameters.
#include <algorithm>
#include <regex>
#include <stdexcept>

#include "core/change_journal.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/journal_listener.h"
#include "store/journal_triggers.h"

namespace ps {

namespace {

const std::string kSchema = kOwnSchema;

// The advisory lock every transaction that writes the journal holds until it ends (see
// install_own_objects). Any constant: "psjourn" in ASCII.
constexpr const char* kJournalLock = "31652098365289070";
// The change log's writers take turns on this one (lock_change_log): "pschlog" in ASCII.
constexpr const char* kChangeLogLock = "31652068182486887";

// "12,10,11" as {10, 11, 12}; the server owes exactly `count` of them.
std::vector<long long> sorted_ids(const std::string& list, int count) {
  std::vector<long long> ids;
  for (std::size_t at = 0; at < list.size();) {
    auto comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    ids.push_back(std::stoll(list.substr(at, comma - at)));
    at = comma + 1;
  }
  if (static_cast<int>(ids.size()) != count)
    throw std::runtime_error("the change log's id sequence gave " + std::to_string(ids.size()) +
                             " ids for " + std::to_string(count) + " records");
  std::sort(ids.begin(), ids.end());
  return ids;
}

// One function serves every journal trigger. Its arguments: the key column, the related column
// ("" for none), then pairs of row ('OLD' or 'NEW') and operation, journaled in that order.
// SECURITY DEFINER: the portal's writes need no grant on portalsync's schema; search_path pinned,
// as for every definer function. The NOTIFY wakes portalsyncd when the transaction commits
// (store/journal_listener.h); PostgreSQL sends one per transaction however many rows notify.
std::string journal_function(const std::string& now) {
  return "CREATE OR REPLACE FUNCTION " + kSchema +
         ".ps_journal_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
         "SET search_path = " +
         kSchema +
         ", pg_catalog AS $$\n"
         "DECLARE r jsonb; i integer DEFAULT 2;\n"
         "BEGIN\n"
         "  WHILE i < TG_NARGS LOOP\n"
         "    IF TG_ARGV[i] = 'OLD' THEN r = to_jsonb(OLD); ELSE r = to_jsonb(NEW); END IF;\n"
         "    INSERT INTO " +
         kSchema +
         ".ps_change_journal(table_name, row_id, related_id, operation, changed_at)\n"
         "    VALUES (TG_TABLE_NAME, CAST(r ->> TG_ARGV[0] AS bigint),\n"
         "            CAST(r ->> NULLIF(TG_ARGV[1], '') AS bigint), TG_ARGV[i + 1], " +
         now +
         ");\n"
         "    i = i + 2;\n"
         "  END LOOP;\n"
         "  PERFORM pg_notify('" +
         kJournalChannel +
         "', '');\n"
         "  RETURN NULL;\n"
         "END $$";
}

// Journal ids come from a sequence, and a sequence hands out ids in the order transactions ask,
// not in the order they commit: a reader reading "after id N" would skip an id still in flight.
// Every statement that writes the journal first takes one transaction-level advisory lock, so
// journal-writing transactions take turns from their first journal write to their commit, as all
// writers do on SQLite.
std::vector<std::string> journal_serialization() {
  return {"CREATE OR REPLACE FUNCTION " + kSchema +
              ".ps_journal_serialize() RETURNS trigger LANGUAGE plpgsql "
              "SET search_path = pg_catalog AS $$ BEGIN PERFORM pg_advisory_xact_lock(" +
              kJournalLock + "); RETURN NULL; END $$",
          "CREATE OR REPLACE TRIGGER ps_journal_serialize BEFORE INSERT ON " + kSchema +
              ".ps_change_journal FOR EACH STATEMENT EXECUTE FUNCTION " + kSchema +
              ".ps_journal_serialize()"};
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

class PostgresqlDialect : public Dialect {
 public:
  // portalsync's schema first: its unqualified ps_ names resolve there, and tables it creates go
  // there; the portal's search path follows for the interface tables.
  // The server's NOTICEs ("view … does not exist, skipping" from an IF EXISTS in `db init`) would
  // reach stderr through libpq: nothing portalsync needs, so the session sends warnings and up.
  void configure(soci::session& sql) const override {
    sql << "SELECT set_config('search_path', '" + kSchema +
               ", ' || current_setting('search_path'), false), "
               "set_config('client_min_messages', 'warning', false)";
  }

  // SQLite's INTEGER is 64 bits and its INTEGER PRIMARY KEY assigns ids; TEXT compares bytes.
  // REFERENCES clauses go: SQLite leaves them unenforced (foreign_keys off), PostgreSQL would
  // make the portal's write of a dangling reference fail instead of the engine rejecting the row.
  std::string ddl(const std::string& sqlite_ddl) const override {
    static const std::regex references(" REFERENCES [a-z_]+\\([a-z_]+\\)");
    static const std::regex autoincrement("INTEGER PRIMARY KEY AUTOINCREMENT");
    static const std::regex row_id("\\bid INTEGER PRIMARY KEY\\b");
    static const std::regex integer("\\bINTEGER\\b");
    static const std::regex text("\\bTEXT\\b");
    auto out = std::regex_replace(sqlite_ddl, references, "");
    out = std::regex_replace(out, autoincrement,
                             "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    out = std::regex_replace(out, row_id, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    out = std::regex_replace(out, integer, "BIGINT");
    out = std::regex_replace(out, text, "TEXT COLLATE \"C\"");
    // An index of lower(column) must read as fold_ascii writes it, or the planner passes it by.
    static const std::regex lower("\\blower\\(([a-z_]+)\\)");
    out = std::regex_replace(out, lower, "lower($1 COLLATE \"C\")");
    // PostgreSQL names a trigger's table; a journal trigger's name says it
    // (ps_journal_<table>_<event>, store/journal_triggers.h).
    static const std::regex drop_trigger(
        "^DROP TRIGGER IF EXISTS (ps_journal_([a-z_]+)_(insert|update|rekey|delete))$");
    return std::regex_replace(out, drop_trigger, "DROP TRIGGER IF EXISTS $1 ON $2");
  }

  // Only when missing: CREATE SCHEMA IF NOT EXISTS would need the database's CREATE privilege
  // also when the schema exists (docs/portal-schema.md has the DBA create it).
  void create_own_schema(soci::session& sql) const override {
    int count = 0;
    sql << "SELECT count(*) FROM pg_namespace WHERE nspname = '" + kSchema + "'", soci::into(count);
    if (count == 0) sql << "CREATE SCHEMA " + kSchema;
  }

  // In the first schema of the portal's own search path, not in portalsync's.
  void create_interface_table(soci::session& sql, const std::string& sqlite_ddl) const override {
    std::string schema;
    sql << "SELECT quote_ident(s) FROM unnest(current_schemas(false)) AS s WHERE s <> '" + kSchema +
               "' LIMIT 1",
        soci::into(schema);
    if (!sql.got_data())
      throw std::runtime_error("no schema on the search path to create the interface tables in");
    static const std::regex table("CREATE TABLE IF NOT EXISTS ");
    static const std::regex index("( ON )([a-z_]+\\()");
    auto qualified = std::regex_replace(ddl(sqlite_ddl), table, "CREATE TABLE " + schema + ".");
    sql << std::regex_replace(qualified, index, "$1" + schema + ".$2");
  }

  void install_own_objects(soci::session& sql) const override {
    sql << journal_function(now_utc());
    for (const auto& statement : journal_serialization()) sql << statement;
  }

  bool has_table(soci::session& sql, const std::string& table) const override {
    int count = 0;
    sql << "SELECT count(*) FROM pg_class WHERE oid = to_regclass(:t)", soci::use(table),
        soci::into(count);
    return count > 0;
  }

  bool has_index(soci::session& sql, const std::string& name) const override {
    return has_table(sql, name);  // to_regclass finds any relation on the search path
  }

  std::vector<std::string> table_columns(soci::session& sql,
                                         const std::string& table) const override {
    std::vector<std::string> out;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) AND "
                        "attnum > 0 AND NOT attisdropped ORDER BY attnum",
         soci::use(table));
    for (const auto& r : rows) out.push_back(r);
    return out;
  }

  std::string changed(const std::string& c) const override {
    return "OLD." + c + " IS DISTINCT FROM NEW." + c;
  }

  std::string trigger_ddl(const JournalTrigger& t) const override {
    std::string args = quoted(t.key) + ", " + quoted(t.related);
    for (const auto& [row, op] : t.entries)
      args += ", " + quoted(row) + ", " + quoted(std::string(to_string(op)));
    return "CREATE TRIGGER " + t.name + " AFTER " + t.event + " ON " + t.table + " FOR EACH ROW" +
           (t.when.empty() ? "" : " WHEN (" + t.when + ")") + " EXECUTE FUNCTION " + kSchema +
           ".ps_journal_row(" + args + ")";
  }

  // Only on the interface tables this session sees (pg_table_is_visible): a table of the same
  // name in another schema is not the portal's.
  std::vector<std::string> installed_journal_triggers(soci::session& sql) const override {
    std::vector<std::string> out;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT t.tgname || '/' || c.relname FROM pg_trigger t JOIN pg_class c "
                        "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND t.tgname LIKE "
                        "'ps_journal_%' AND pg_table_is_visible(c.oid)");
    for (const auto& r : rows) out.push_back(r);
    return out;
  }

  // clock_timestamp: the time of the write, as SQLite's 'now' is, not of the transaction's start.
  std::string now_utc() const override {
    return "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  }
  // lower() follows the database's locale; translate() changes exactly the ASCII letters.
  // Under the "C" collation lower() folds ASCII letters only, whatever the database's locale
  // (a Turkish one lowers 'I' to 'ı' otherwise), and it scans 100,000 usernames in ~20 ms where
  // translate() with the alphabet took ~150 ms.
  std::string fold_ascii(const std::string& c) const override {
    return "lower(" + c + " COLLATE \"C\")";
  }
  // The database's default collation may order by language rules (en_US puts punctuation last).
  std::string byte_order(const std::string& c) const override { return c + " COLLATE \"C\""; }

  // reltuples: -1 before the table's first VACUUM or ANALYZE, then kept current by autovacuum.
  // Until then the statistics' count of live rows, which a new database (a copy of a template,
  // say) or a reset of the statistics starts at 0: then the rows are counted.
  long long estimated_rows(soci::session& sql, const std::string& table) const override {
    double rows = -1;
    sql << "SELECT CASE WHEN reltuples >= 0 THEN reltuples "
           "WHEN pg_stat_get_live_tuples(oid) > 0 THEN pg_stat_get_live_tuples(oid) ELSE -1 END "
           "FROM pg_class WHERE oid = to_regclass(:t)",
        soci::use(table), soci::into(rows);
    return rows >= 0 ? static_cast<long long>(rows) : Dialect::estimated_rows(sql, table);
  }

  // Read committed, PostgreSQL's default, takes a new snapshot for every statement.
  void consistent_reads(soci::session& sql) const override {
    sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
  }
  // Taken before the first insert, so ids are also assigned in chain order. An advisory lock,
  // not LOCK TABLE: a table lock in EXCLUSIVE mode conflicts with autovacuum's, which gives way
  // only after deadlock_timeout (1 s), so a change-log write that met autovacuum of ps_change_log
  // waited a second (the 1.3 s outliers of the change latency at 100,000 accounts), and a busy
  // daemon kept that autovacuum from ever finishing. Readers (audit queries) never waited.
  void lock_change_log(soci::session& sql) const override {
    sql << std::string("SELECT pg_advisory_xact_lock(") + kChangeLogLock + ")";
  }
  // From the identity's sequence, as an INSERT without an id would take them; one round trip.
  std::vector<long long> reserve_change_log_ids(soci::session& sql, int count) const override {
    std::string list;
    sql << "SELECT string_agg(CAST(nextval(pg_get_serial_sequence('ps_change_log', 'id')) AS "
           "TEXT), ',') FROM generate_series(1, :n)",
        soci::use(count), soci::into(list);
    return sorted_ids(list, count);
  }

  bool try_session_lock(soci::session& sql, long long key) const override {
    int taken = 0;
    sql << "SELECT CASE WHEN pg_try_advisory_lock(:k) THEN 1 ELSE 0 END", soci::use(key),
        soci::into(taken);
    return taken != 0;
  }
  void release_session_lock(soci::session& sql, long long key) const override {
    int released = 0;
    sql << "SELECT CASE WHEN pg_advisory_unlock(:k) THEN 1 ELSE 0 END", soci::use(key),
        soci::into(released);
  }
  void end_session_when_silent(soci::session& sql, int seconds) const override {
    sql << "SELECT set_config('idle_session_timeout', '" + std::to_string(seconds) + "s', false)";
  }
  void end_session_when_idle_in_transaction(soci::session& sql, int seconds) const override {
    sql << "SELECT set_config('idle_in_transaction_session_timeout', '" + std::to_string(seconds) +
               "s', false)";
  }
};

}  // namespace

const Dialect& postgresql_dialect() {
  static const PostgresqlDialect dialect;
  return dialect;
}

}  // namespace ps
