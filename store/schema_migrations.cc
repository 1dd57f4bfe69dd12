#include "store/schema_migrations.h"

namespace ps {

namespace {

// Interface tables: no CHECK constraints on the text columns the engine reads, and the REFERENCES
// clauses document relations that SQLite does not enforce (foreign_keys stays off): the portal
// must be able to store what it stores, and the engine rejects a bad row with a reason instead of
// the portal's write failing (docs/portal-schema.md). `db init` creates the ones missing from a
// new database; a portal may create them itself beforehand.
std::vector<std::string> create_org_units() {
  return {R"(CREATE TABLE IF NOT EXISTS org_units (
      id INTEGER PRIMARY KEY,
      parent_id INTEGER NULL REFERENCES org_units(id),
      code TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      is_agency INTEGER NOT NULL DEFAULT 0,
      agency_level INTEGER NULL))"};
}

std::vector<std::string> create_accounts() {
  return {R"(CREATE TABLE IF NOT EXISTS accounts (
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
          // A journal run looks up the usernames equal to its accounts' but for letter case; at
          // 100,000 accounts a scan for them took 40-90 ms on PostgreSQL (docs/portal-schema.md).
          "CREATE INDEX IF NOT EXISTS accounts_username_folded ON accounts(lower(username))"};
}

std::vector<std::string> create_shared_accounts() {
  return {R"(CREATE TABLE IF NOT EXISTS shared_accounts (
      id INTEGER PRIMARY KEY,
      username TEXT UNIQUE NOT NULL,
      kind TEXT NOT NULL,
      display_name TEXT NOT NULL,
      org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
      custodian_id INTEGER NOT NULL REFERENCES accounts(id),
      status TEXT NOT NULL DEFAULT 'enabled'))"};
}

std::vector<std::string> create_systems() {
  return {R"(CREATE TABLE IF NOT EXISTS systems (
      id INTEGER PRIMARY KEY,
      code TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      group_name TEXT NOT NULL))"};
}

std::vector<std::string> create_org_unit_systems() {
  return {R"(CREATE TABLE IF NOT EXISTS org_unit_systems (
      org_unit_id INTEGER NOT NULL, system_id INTEGER NOT NULL,
      PRIMARY KEY (org_unit_id, system_id)))"};
}

std::vector<std::string> create_account_systems() {
  return {R"(CREATE TABLE IF NOT EXISTS account_systems (
      account_id INTEGER NOT NULL, system_id INTEGER NOT NULL,
      PRIMARY KEY (account_id, system_id)))"};
}

std::vector<std::string> create_scheduled_changes() {
  return {
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
      "CREATE INDEX IF NOT EXISTS scheduled_changes_due ON scheduled_changes(state, effective_at)"};
}

// portalsync's own tables. The change log carries the audit columns (category, unit_id and the
// hash chain prev_hash/hash) from the start, so auditing needs no migration of a large table.
std::vector<std::string> own_tables_v1() {
  return {
      R"(CREATE TABLE IF NOT EXISTS ps_links (
      kind TEXT NOT NULL, portal_id INTEGER NOT NULL, anchor TEXT NOT NULL,
      PRIMARY KEY (kind, portal_id)))",
      R"(CREATE TABLE IF NOT EXISTS ps_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      actor TEXT, mode TEXT, started_at TEXT, finished_at TEXT, status TEXT, summary_json TEXT))",
      R"(CREATE TABLE IF NOT EXISTS ps_change_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id INTEGER, at TEXT NOT NULL, actor TEXT NOT NULL, operation TEXT NOT NULL,
      kind TEXT NOT NULL, subject_id INTEGER, subject_name TEXT, unit_id INTEGER, dn TEXT,
      new_dn TEXT, before_json TEXT, after_json TEXT, category TEXT, reason TEXT,
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
}

std::vector<std::string> version_1() { return own_tables_v1(); }

// The change journal, filled by the triggers of store/journal_triggers.cc (installed by every
// `db init`, after the interface columns are checked). AUTOINCREMENT: an id is never reused, also
// after the journal was trimmed empty, so a reader's "after id N" stays meaningful.
std::vector<std::string> version_2() {
  return {R"(CREATE TABLE IF NOT EXISTS ps_change_journal (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      table_name TEXT NOT NULL,
      row_id INTEGER NOT NULL,
      related_id INTEGER NULL,
      operation TEXT NOT NULL,
      changed_at TEXT NOT NULL))"};
}

// Objects the directory keeps refusing (core/quarantine.h).
std::vector<std::string> version_3() {
  return {R"(CREATE TABLE IF NOT EXISTS ps_quarantine (
      kind TEXT NOT NULL,
      portal_id INTEGER NOT NULL,
      subject TEXT NOT NULL,
      failures INTEGER NOT NULL,
      first_failed_at TEXT NOT NULL,
      last_failed_at TEXT NOT NULL,
      last_error TEXT NOT NULL,
      quarantined INTEGER NOT NULL,
      PRIMARY KEY (kind, portal_id)))"};
}

// The change log sealed as it is written: an outcome is its own record naming its intent
// (outcome_of), and checkpoints are of two kinds, 'prune' and 'key' (where keyed sealing starts,
// with the key's id; docs/audit.md).
std::vector<std::string> version_4() {
  return {
      "ALTER TABLE ps_change_log ADD COLUMN outcome_of INTEGER",
      "CREATE INDEX IF NOT EXISTS ps_change_log_outcome ON ps_change_log(outcome_of) "
      "WHERE outcome_of IS NOT NULL",
      "ALTER TABLE ps_audit_checkpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'prune'",
      "ALTER TABLE ps_audit_checkpoints ADD COLUMN key_id TEXT",
  };
}

// Custody breaches (core/custody_breach.h): the open ones, and the units that had an enabled
// agency admin at the last full run, so a breach is recorded when it starts and when it ends.
std::vector<std::string> version_5() {
  return {R"(CREATE TABLE IF NOT EXISTS ps_custody_breaches (
      kind TEXT NOT NULL,
      subject_id INTEGER NOT NULL,
      subject TEXT NOT NULL,
      unit_id INTEGER NOT NULL,
      reason TEXT NOT NULL,
      since TEXT NOT NULL,
      PRIMARY KEY (kind, subject_id)))",
          "CREATE TABLE IF NOT EXISTS ps_admin_units (unit_id INTEGER PRIMARY KEY)"};
}

// A transfer's record names the unit it left too, so that unit's query shows the person leaving.
std::vector<std::string> version_6() {
  return {"ALTER TABLE ps_change_log ADD COLUMN from_unit_id INTEGER",
          "CREATE INDEX IF NOT EXISTS ps_change_log_from_unit ON ps_change_log(from_unit_id, at) "
          "WHERE from_unit_id IS NOT NULL"};
}

// POSIX numbers (directory.posix): one per row and kind for good, each number once per space
// (uid: accounts and shared accounts; gid: groups). Never updated or deleted.
std::vector<std::string> version_7() {
  return {R"(CREATE TABLE IF NOT EXISTS ps_posix_ids (
      kind TEXT NOT NULL,
      portal_id INTEGER NOT NULL,
      space TEXT NOT NULL,
      number INTEGER NOT NULL,
      assigned_at TEXT NOT NULL,
      PRIMARY KEY (kind, portal_id),
      UNIQUE (space, number)))"};
}

// Agencies (機關) among the units: whether a unit is one, and its level (docs/portal-schema.md).
// Additive and neutral: with no unit marked, every rule stays per unit as before. A new
// database's org_units has the columns from its creation (the ADD COLUMNs are then skipped). The
// units' update trigger watched the old columns only: dropped here, `db init` reinstalls it
// watching the new ones too, so marking a unit reaches the change journal.
std::vector<std::string> version_8() {
  return {"ALTER TABLE org_units ADD COLUMN is_agency INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE org_units ADD COLUMN agency_level INTEGER NULL",
          "DROP TRIGGER IF EXISTS ps_journal_org_units_update"};
}

// Two nodes, one writer (store/leader_lease.h): the last claim of the active role, whose fencing
// number every change-log record the node writes carries.
std::vector<std::string> version_9() {
  return {"ALTER TABLE ps_change_log ADD COLUMN fence INTEGER",
          R"(CREATE TABLE IF NOT EXISTS ps_leadership (
      id INTEGER PRIMARY KEY,
      fence INTEGER NOT NULL,
      holder TEXT NOT NULL,
      since TEXT NOT NULL))"};
}

// A record names the agency of its unit at the time (store/change_log_agency.h), so an agency's
// query finds it after the account or the unit moved on. Older records keep NULL.
std::vector<std::string> version_10() {
  return {"ALTER TABLE ps_change_log ADD COLUMN agency_id INTEGER",
          "CREATE INDEX IF NOT EXISTS ps_change_log_agency ON ps_change_log(agency_id, at) "
          "WHERE agency_id IS NOT NULL"};
}

// Every run asks for the intents an earlier run left pending. ps_change_log_result also holds an
// entry for each version of a record once pending: on PostgreSQL, until vacuum, those of a first
// sync of 100,000 accounts made the question take 83 ms. This index holds pending intents only,
// and a plain scan of it marks the dead ones, so each is passed over once.
std::vector<std::string> version_11() {
  return {
      "CREATE INDEX IF NOT EXISTS ps_change_log_pending ON ps_change_log(id) "
      "WHERE result = 'pending' AND outcome_of IS NULL"};
}

// The change log becomes append-only: an intent keeps the "pending" it was sealed with, and its
// outcome record alone says how it ended. Updating the intent cost a PostgreSQL write as large as
// an insert (its result is indexed, so the update could not stay on the page), a third of the
// change log's work in a churn. The intents still waiting are listed here instead of indexed by
// their result, which would now hold every intent ever written. The view ps_changes joins each
// intent to its outcome for readers with SQL.
std::vector<std::string> version_12() {
  return {
      R"(CREATE TABLE IF NOT EXISTS ps_pending_intents (
      intent_id INTEGER PRIMARY KEY,
      run_id INTEGER))",
      // Only what is truly pending, so the step may run again (a `db init` interrupted).
      "INSERT INTO ps_pending_intents(intent_id, run_id) SELECT id, run_id FROM ps_change_log i "
      "WHERE result = 'pending' AND outcome_of IS NULL AND NOT EXISTS (SELECT 1 FROM "
      "ps_change_log o WHERE o.outcome_of = i.id) AND NOT EXISTS (SELECT 1 FROM "
      "ps_pending_intents p WHERE p.intent_id = i.id)",
      "DROP INDEX IF EXISTS ps_change_log_pending",
      // Each intent and decision as a reader expects it: an intent with its outcome's result,
      // message and time (docs/audit.md). Dropped first: this step may run again.
      "DROP VIEW IF EXISTS ps_changes",
      "CREATE VIEW ps_changes AS SELECT i.id, i.run_id, i.at, i.actor, i.operation, i.kind, "
      "i.subject_id, i.subject_name, i.unit_id, i.from_unit_id, i.agency_id, i.dn, i.new_dn, "
      "i.before_json, i.after_json, i.category, i.reason, coalesce(o.result, i.result) AS result, "
      "coalesce(o.message, i.message) AS message, i.correlation_id, coalesce(o.at, "
      "i.completed_at) AS completed_at, i.fence FROM ps_change_log i LEFT JOIN ps_change_log o ON "
      "o.outcome_of = i.id WHERE i.outcome_of IS NULL"};
}

}  // namespace

const std::vector<std::vector<std::string>>& schema_migrations() {
  static const std::vector<std::vector<std::string>> steps = {
      version_1(), version_2(), version_3(), version_4(),  version_5(),  version_6(),
      version_7(), version_8(), version_9(), version_10(), version_11(), version_12()};
  return steps;
}

const std::vector<InterfaceTable>& interface_tables() {
  static const std::vector<InterfaceTable> tables = {
      {"org_units",
       {"id", "parent_id", "code", "name", "active", "is_agency", "agency_level"},
       create_org_units()},
      {"accounts",
       {"id", "username", "display_name", "surname", "given_name", "title", "org_unit_id", "role",
        "status", "locked", "email", "needs_mail", "office_phone", "mobile", "national_id",
        "last_login_at", "activated_at", "disabled_reason", "updated_at"},
       create_accounts()},
      {"shared_accounts",
       {"id", "username", "kind", "display_name", "org_unit_id", "custodian_id", "status"},
       create_shared_accounts()},
      {"systems", {"id", "code", "name", "group_name"}, create_systems()},
      {"org_unit_systems", {"org_unit_id", "system_id"}, create_org_unit_systems()},
      {"account_systems", {"account_id", "system_id"}, create_account_systems()},
      {"scheduled_changes",
       {"id", "account_id", "kind", "target_org_unit_id", "target_role", "reason", "effective_at",
        "batch_id", "requested_by", "state", "outcome", "executed_at"},
       create_scheduled_changes()},
  };
  return tables;
}

}  // namespace ps
