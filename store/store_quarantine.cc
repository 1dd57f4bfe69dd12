// ps_quarantine: objects the directory keeps refusing (core/quarantine.h). Small, so it is read
// whole and replaced whole.
#include "store/database.h"
#include "store/dialect.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::vector<QuarantineEntry>> SociPortalStore::load_quarantine() {
  std::vector<QuarantineEntry> out;
  try {
    soci::rowset<soci::row> rows =
        (sql_->prepare << "SELECT kind, portal_id, subject, failures, first_failed_at, "
                          "last_failed_at, last_error, quarantined FROM ps_quarantine "
                          "ORDER BY last_failed_at");
    for (const auto& r : rows) {
      QuarantineEntry e;
      e.kind = parse_object_kind(column_text(r, 0)).value_or(ObjectKind::account);
      e.portal_id = column_int(r, 1);
      e.subject = column_text(r, 2);
      e.failures = static_cast<int>(column_int(r, 3));
      e.first_failed_at = column_text(r, 4);
      e.last_failed_at = column_text(r, 5);
      e.last_error = column_text(r, 6);
      e.quarantined = column_int(r, 7) != 0;
      out.push_back(std::move(e));
    }
  } catch (const std::exception& e) {
    return Error{failure("cannot read ps_quarantine", e).message()};
  }
  return out;
}

Status SociPortalStore::save_quarantine(const std::vector<QuarantineEntry>& entries,
                                        const std::vector<ChangeRecord>& records) {
  return release_quarantine(entries, {}, records);
}

namespace {

// The journal table whose entry puts an object of `kind` in a run's scope.
const char* journal_table_of(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::org_unit:
      return "org_units";
    case ObjectKind::shared_account:
      return "shared_accounts";
    case ObjectKind::group:
      return "systems";
    default:
      return "accounts";
  }
}

}  // namespace

Status SociPortalStore::release_quarantine(const std::vector<QuarantineEntry>& entries,
                                           const std::vector<QuarantineEntry>& released,
                                           const std::vector<ChangeRecord>& records) {
  try {
    soci::transaction tx(*sql_);
    for (const auto& e : released) {
      std::string table = journal_table_of(e.kind);
      long long id = e.portal_id;
      *sql_ << "INSERT INTO ps_change_journal(table_name, row_id, related_id, operation, "
               "changed_at) VALUES (:t, :i, NULL, 'update', " +
                   dialect_of(*sql_).now_utc() + ")",
          soci::use(table), soci::use(id);
    }
    *sql_ << "DELETE FROM ps_quarantine";
    for (const auto& e : entries) {
      std::string kind(to_string(e.kind));
      long long id = e.portal_id;
      int failures = e.failures, quarantined = e.quarantined ? 1 : 0;
      *sql_ << "INSERT INTO ps_quarantine(kind, portal_id, subject, failures, first_failed_at, "
               "last_failed_at, last_error, quarantined) VALUES (:k, :i, :s, :f, :a, :b, :e, :q)",
          soci::use(kind), soci::use(id), soci::use(e.subject), soci::use(failures),
          soci::use(e.first_failed_at), soci::use(e.last_failed_at), soci::use(e.last_error),
          soci::use(quarantined);
    }
    for (const auto& r : records) insert_record(r);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot write ps_quarantine", e);
  }
  return Status::ok();
}

}  // namespace ps
