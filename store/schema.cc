#include "store/schema.h"

#include <algorithm>
#include <regex>

#include "store/change_log_seal.h"
#include "store/database.h"
#include "store/database_failure.h"
#include "store/dialect.h"
#include "store/journal_triggers.h"
#include "store/schema_migrations.h"

namespace ps {

namespace {

std::string where(const std::string& url) { return "portal database " + database_label(url); }

// 0 when the database has no portalsync schema yet.
int stored_version(soci::session& sql) {
  if (!dialect_of(sql).has_table(sql, "ps_schema_version")) return 0;
  int version = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT max(version) FROM ps_schema_version", soci::into(version, ind);
  return ind == soci::i_null ? 0 : version;
}

void set_version(soci::session& sql, int version) {
  sql << "DELETE FROM ps_schema_version";
  sql << "INSERT INTO ps_schema_version(version) VALUES (:v)", soci::use(version);
}

// Whether `ddl` is "ALTER TABLE t ADD COLUMN c ..." for a column t already has: an additive
// step is then done. A new database's interface tables are created in their current shape, and a
// portal may add the documented columns itself before portalsync's role (which may not own its
// tables) runs `db init`.
bool adds_present_column(soci::session& sql, const std::string& ddl) {
  static const std::regex add_column("^ALTER TABLE ([a-z_]+) ADD COLUMN ([a-z_]+) ");
  std::smatch m;
  if (!std::regex_search(ddl, m, add_column)) return false;
  auto columns = dialect_of(sql).table_columns(sql, m[1].str());
  return std::find(columns.begin(), columns.end(), m[2].str()) != columns.end();
}

// A new database gets the interface tables the portal has not created itself.
void create_missing_interface_tables(soci::session& sql) {
  const auto& dialect = dialect_of(sql);
  for (const auto& table : interface_tables())
    if (!dialect.has_table(sql, table.name))
      for (const auto& ddl : table.ddl) dialect.create_interface_table(sql, ddl);
}

}  // namespace

// A portal that created its interface tables itself may lack columns: name them all at once
// rather than fail later on the first "no such column".
Status check_interface_columns(soci::session& sql, const std::string& url) {
  std::string problems;
  for (const auto& table : interface_tables()) {
    auto present = dialect_of(sql).table_columns(sql, table.name);
    std::string missing;
    for (const auto& column : table.columns)
      if (std::find(present.begin(), present.end(), column) == present.end())
        missing += (missing.empty() ? "" : ", ") + column;
    if (present.empty())
      problems += "; table " + table.name + " does not exist";
    else if (!missing.empty())
      problems += "; table " + table.name + " has no column " + missing;
  }
  if (problems.empty()) return Status::ok();
  return Status::error(where(url) + problems.substr(1) +
                       " (docs/portal-schema.md lists the interface columns and their types)");
}

namespace {

// A portal tool that rebuilds a table (create a copy, drop the original, rename) drops its
// triggers with it; without them the daemon would miss changes until its next full reconcile.
Status check_journal_triggers(soci::session& sql, const std::string& url) {
  auto missing = tables_missing_journal_triggers(sql);
  if (missing.empty()) return Status::ok();
  std::string tables;
  for (const auto& t : missing) tables += (tables.empty() ? "" : ", ") + t;
  return Status::error(where(url) + ": the change-capture triggers on " + tables +
                       " are missing (rebuilding a table drops them): run `portalsync db init "
                       "--database " +
                       without_password(url) + "` to reinstall them");
}

}  // namespace

Status init_portal_database(const std::string& url) {
  auto db = open_database(url, false);
  if (!db) return db.status();
  auto& sql = *db.value();
  try {
    soci::transaction tx(sql);  // all steps or none; rolled back by any early return
    int version = stored_version(sql);
    if (version > kSchemaVersion)
      return Status::error(StatusCode::refused,
                           where(url) + ": schema version " + std::to_string(version) +
                               " is newer than this build knows (" +
                               std::to_string(kSchemaVersion) + "); upgrade portalsync");
    const auto& dialect = dialect_of(sql);
    dialect.create_own_schema(sql);
    if (version == 0) create_missing_interface_tables(sql);
    const auto& steps = schema_migrations();
    for (int v = version; v < kSchemaVersion; ++v)
      for (const auto& ddl : steps.at(v))
        if (!adds_present_column(sql, ddl)) sql << dialect.ddl(ddl);
    if (version < kSchemaVersion) set_version(sql, kSchemaVersion);
    dialect.install_own_objects(sql);
    // Earlier versions sealed a record only once its outcome was known; from version 4 every
    // record is sealed as it is written, so what they left unsealed is sealed now, once.
    if (version > 0 && version < 4)
      if (auto st = seal_legacy_records(sql); !st) return st;
    if (auto st = check_interface_columns(sql, url); !st) return st;
    install_journal_triggers(sql);  // every time: a table the portal rebuilt has lost them
    tx.commit();
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::error(where(url) + ": cannot create the schema: " + database_error(e));
  }
}

Status create_interface_tables(const std::string& url) {
  auto db = open_database(url, false);
  if (!db) return db.status();
  try {
    soci::transaction tx(*db.value());
    create_missing_interface_tables(*db.value());
    tx.commit();
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::error(where(url) + ": cannot create the interface tables: " + database_error(e));
  }
}

Status check_schema_version(soci::session& sql, const std::string& url) {
  try {
    int version = stored_version(sql);
    if (version == 0)
      return Status::error(StatusCode::refused,
                           where(url) +
                               " has no portalsync schema: run `portalsync db init --database " +
                               without_password(url) + "` first");
    if (version > kSchemaVersion)
      return Status::error(StatusCode::refused,
                           where(url) + ": schema version " + std::to_string(version) +
                               " is newer than this build knows (" +
                               std::to_string(kSchemaVersion) + "); upgrade portalsync");
    if (version < kSchemaVersion)
      return Status::error(StatusCode::refused,
                           where(url) + ": schema version " + std::to_string(version) +
                               ", this build needs " + std::to_string(kSchemaVersion) +
                               ": run `portalsync db init --database " + without_password(url) +
                               "` to migrate");
    if (auto st = check_interface_columns(sql, url); !st) return st;
    return check_journal_triggers(sql, url);
  } catch (const std::exception& e) {
    return Status::error(database_failure_code(e),
                         where(url) + ": cannot read the schema version: " + database_error(e) +
                             database_failure_hint(e));
  }
}

}  // namespace ps
