#include "store/schema.h"

#include "store/database.h"

namespace ps {

namespace {

// No CHECK constraints on the text columns the engine reads and no enforced foreign keys: the
// portal must be able to store what it stores, and the engine rejects a bad row with a reason
// instead of the portal failing (docs/portal-schema.md).
const char* kVersion1[] = {
    R"(CREATE TABLE IF NOT EXISTS org_units (
      id INTEGER PRIMARY KEY,
      parent_id INTEGER NULL REFERENCES org_units(id),
      code TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1))",
    R"(CREATE TABLE IF NOT EXISTS accounts (
      id INTEGER PRIMARY KEY,
      username TEXT UNIQUE NOT NULL,
      display_name TEXT NOT NULL,
      surname TEXT, given_name TEXT, title TEXT,
      org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
      role TEXT NOT NULL DEFAULT 'user',
      status TEXT NOT NULL DEFAULT 'pending',
      locked INTEGER NOT NULL DEFAULT 0,
      email TEXT,
      needs_mail INTEGER NOT NULL DEFAULT 0,
      office_phone TEXT, mobile TEXT, national_id TEXT,
      last_login_at TEXT, activated_at TEXT, disabled_reason TEXT, updated_at TEXT))",
    R"(CREATE TABLE IF NOT EXISTS shared_accounts (
      id INTEGER PRIMARY KEY,
      username TEXT UNIQUE NOT NULL,
      kind TEXT NOT NULL,
      display_name TEXT NOT NULL,
      org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
      custodian_id INTEGER NOT NULL REFERENCES accounts(id),
      status TEXT NOT NULL DEFAULT 'enabled'))",
    R"(CREATE TABLE IF NOT EXISTS systems (
      id INTEGER PRIMARY KEY,
      code TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      group_name TEXT NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS org_unit_systems (
      org_unit_id INTEGER NOT NULL, system_id INTEGER NOT NULL,
      PRIMARY KEY (org_unit_id, system_id)))",
    R"(CREATE TABLE IF NOT EXISTS account_systems (
      account_id INTEGER NOT NULL, system_id INTEGER NOT NULL,
      PRIMARY KEY (account_id, system_id)))",
    R"(CREATE TABLE IF NOT EXISTS scheduled_changes (
      id INTEGER PRIMARY KEY,
      account_id INTEGER NOT NULL REFERENCES accounts(id),
      kind TEXT NOT NULL,
      target_org_unit_id INTEGER NULL,
      target_role TEXT NULL,
      reason TEXT NOT NULL,
      effective_at TEXT NOT NULL,
      batch_id TEXT NULL,
      requested_by TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending',
      outcome TEXT NULL,
      executed_at TEXT NULL))",
    "CREATE INDEX IF NOT EXISTS scheduled_changes_due ON scheduled_changes(state, effective_at)",
    R"(CREATE TABLE IF NOT EXISTS ps_links (
      kind TEXT NOT NULL, portal_id INTEGER NOT NULL, anchor TEXT NOT NULL,
      PRIMARY KEY (kind, portal_id)))",
    R"(CREATE TABLE IF NOT EXISTS ps_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      actor TEXT, mode TEXT, started_at TEXT, finished_at TEXT, status TEXT, summary_json TEXT))",
    R"(CREATE TABLE IF NOT EXISTS ps_change_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id INTEGER, at TEXT NOT NULL, actor TEXT NOT NULL, operation TEXT NOT NULL,
      kind TEXT NOT NULL, subject_id INTEGER, subject_name TEXT, unit_id INTEGER, dn TEXT, new_dn TEXT,
      before_json TEXT, after_json TEXT, category TEXT, reason TEXT,
      result TEXT NOT NULL, message TEXT, correlation_id TEXT, completed_at TEXT,
      prev_hash TEXT, hash TEXT))",
    "CREATE INDEX IF NOT EXISTS ps_change_log_subject ON ps_change_log(kind, subject_id)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_at ON ps_change_log(at)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_result ON ps_change_log(result, at)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_unit ON ps_change_log(unit_id, at)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_actor ON ps_change_log(actor, at)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_category ON ps_change_log(category, at)",
    "CREATE INDEX IF NOT EXISTS ps_change_log_unsealed ON ps_change_log(id) WHERE hash IS NULL",
    "CREATE INDEX IF NOT EXISTS ps_change_log_run ON ps_change_log(run_id)",
    R"(CREATE TABLE IF NOT EXISTS ps_holds (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      fingerprint TEXT NOT NULL, created_at TEXT NOT NULL, destructive INTEGER, managed INTEGER,
      reason TEXT, state TEXT NOT NULL, approved_by TEXT, approved_at TEXT))",
    R"(CREATE TABLE IF NOT EXISTS ps_audit_checkpoints (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at TEXT NOT NULL, last_id INTEGER NOT NULL, last_hash TEXT NOT NULL,
      records INTEGER NOT NULL, export_file TEXT NOT NULL, export_sha256 TEXT NOT NULL,
      signature TEXT NOT NULL))",
    "CREATE TABLE IF NOT EXISTS ps_schema_version (version INTEGER NOT NULL)",
};

int stored_version(soci::session& sql) {
  int count = 0;
  sql << "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='ps_schema_version'",
      soci::into(count);
  if (count == 0) return 0;
  int version = 0;
  soci::indicator ind;
  sql << "SELECT max(version) FROM ps_schema_version", soci::into(version, ind);
  return ind == soci::i_null ? 0 : version;
}

}  // namespace

Status init_portal_database(const std::string& url) {
  auto db = open_database(url, false);
  if (!db) return db.status();
  auto& sql = *db.value();
  try {
    int version = stored_version(sql);
    if (version > kSchemaVersion)
      return Status::error("portal database " + sqlite_path(url) + ": schema version " +
                           std::to_string(version) + " is newer than this build knows (" +
                           std::to_string(kSchemaVersion) + "); upgrade portalsync");
    soci::transaction tx(sql);
    for (const char* ddl : kVersion1) sql << ddl;
    if (version < kSchemaVersion) {
      sql << "DELETE FROM ps_schema_version";
      sql << "INSERT INTO ps_schema_version(version) VALUES (" << kSchemaVersion << ")";
    }
    tx.commit();
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::error("portal database " + sqlite_path(url) +
                         ": cannot create the schema: " + e.what());
  }
}

Status check_schema_version(soci::session& sql, const std::string& url) {
  int version = stored_version(sql);
  if (version == kSchemaVersion) return Status::ok();
  if (version == 0)
    return Status::error("portal database " + sqlite_path(url) +
                         " has no portalsync schema: run `portalsync db init --database " + url +
                         "` first");
  return Status::error("portal database " + sqlite_path(url) + ": schema version " +
                       std::to_string(version) + ", this build needs " +
                       std::to_string(kSchemaVersion) + ": run `portalsync db init` to migrate");
}

}  // namespace ps
