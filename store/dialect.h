// What differs between the SQL of the portal databases this build opens (SQLite, PostgreSQL and
// MariaDB). Everything else in store/ is written once, in SQL both accept; each difference is
// one member here, so a backend is added by implementing this class, not by if-chains.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

namespace ps {

struct JournalTrigger;

// On PostgreSQL, portalsync's own tables (ps_*) live in this schema, apart from the portal's
// interface tables (docs/portal-schema.md).
inline constexpr const char* kOwnSchema = "portalsync";

class Dialect {
 public:
  virtual ~Dialect() = default;

  // Settings every new session needs (SQLite's pragmas; PostgreSQL's search path, with
  // portalsync's schema first and the portal's after it).
  virtual void configure(soci::session& sql) const = 0;

  // Schema. A migration step is written in SQLite's DDL; ddl() gives it in this dialect.
  virtual std::string ddl(const std::string& sqlite_ddl) const = 0;
  // Creates portalsync's schema where the database has them; before the first migration step.
  virtual void create_own_schema(soci::session& sql) const = 0;
  // Creates an interface table the portal has not created (in the portal's schema).
  virtual void create_interface_table(soci::session& sql, const std::string& sqlite_ddl) const = 0;
  // Database objects portalsync needs besides its tables; after the migration steps.
  virtual void install_own_objects(soci::session& sql) const = 0;
  virtual bool has_table(soci::session& sql, const std::string& table) const = 0;
  // Whether the index `name` exists (on the search path); false where the dialect cannot make
  // the index of an expression (MariaDB 10.11).
  virtual bool has_index(soci::session&, const std::string&) const { return false; }
  virtual std::vector<std::string> table_columns(soci::session& sql,
                                                 const std::string& table) const = 0;

  // Change capture: the condition "column changed in this update" (NULL to a value included),
  // a trigger's DDL, and the installed journal triggers as "name/table".
  virtual std::string changed(const std::string& column) const = 0;
  virtual std::string trigger_ddl(const JournalTrigger& t) const = 0;
  // The DDL as this session installs it (MariaDB names the databases the trigger spans).
  virtual std::string trigger_ddl_for(soci::session&, const JournalTrigger& t) const {
    return trigger_ddl(t);
  }
  virtual std::vector<std::string> installed_journal_triggers(soci::session& sql) const = 0;

  // Expressions: the current time in UTC as 2026-12-06T23:15:00.123Z; a column with only its
  // ASCII letters lowered (what to_lower_ascii does); a text column ordered by bytes.
  virtual std::string now_utc() const = 0;
  virtual std::string fold_ascii(const std::string& column) const = 0;
  virtual std::string byte_order(const std::string& column) const = 0;

  // How many rows `table` holds, for sizes that steer cost or set a proportion, never for what a
  // run reads: exact by default; on PostgreSQL the statistics' estimate where there is one (a
  // count reads the whole table, 25-50 ms at 100,000 rows on a small server).
  virtual long long estimated_rows(soci::session& sql, const std::string& table) const {
    long long rows = 0;
    sql << "SELECT count(*) FROM " + table, soci::into(rows);
    return rows;
  }

  // Transactions: make every read of the current one see the same snapshot; make it the only
  // one appending to the change log until it ends (the hash chain needs one writer at a time).
  virtual void consistent_reads(soci::session& sql) const = 0;
  virtual void lock_change_log(soci::session& sql) const = 0;
  // Ids for the next `count` change-log records, ascending and unused, for a transaction that
  // holds the change log's lock.
  virtual std::vector<long long> reserve_change_log_ids(soci::session& sql, int count) const = 0;

  // The placeholder of a statement's n-th parameter (from 0), the parameters bound in order.
  virtual std::string parameter(std::size_t n) const { return ":p" + std::to_string(n); }

  // The clause that makes an INSERT of a row whose key exists set `column` to the new value.
  virtual std::string on_conflict_update(const std::string& key, const std::string& column) const {
    return "ON CONFLICT (" + key + ") DO UPDATE SET " + column + " = excluded." + column;
  }

  // Locks held by a session until it ends (the run lock, the leader lease: store/leader_lease.h),
  // where the backend has them. Takes lock `key` without waiting: false when another session
  // holds it. Throws on a backend without them (SQLite locks a file instead).
  virtual bool try_session_lock(soci::session& sql, long long key) const = 0;
  // Releases lock `key`, which this session holds, before the session ends.
  virtual void release_session_lock(soci::session& sql, long long key) const = 0;
  // Makes the server end this session, releasing its locks, once it has been silent for
  // `seconds`, so a holder cut off from the server loses them.
  virtual void end_session_when_silent(soci::session& sql, int seconds) const = 0;
  // The same for a session left silent inside a transaction only (it may hold the change log's
  // lock): a node cut off mid-transaction would otherwise keep the node that took over waiting.
  virtual void end_session_when_idle_in_transaction(soci::session& sql, int seconds) const = 0;
};

// The `count` ids after `last`, ascending.
inline std::vector<long long> ids_after(long long last, int count) {
  std::vector<long long> ids;
  for (int i = 1; i <= count; ++i) ids.push_back(last + i);
  return ids;
}

// The dialect of the session's backend.
const Dialect& dialect_of(soci::session& sql);
const Dialect& sqlite_dialect();
const Dialect& postgresql_dialect();
const Dialect& mariadb_dialect();

}  // namespace ps
