// ps_custody_breaches and ps_admin_units: what the last full run knew about custody
// (core/custody_breach.h). Small, so they are read whole and replaced whole.
#include "store/database.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<CustodyWatch> SociPortalStore::load_custody_watch() {
  CustodyWatch out;
  try {
    soci::rowset<soci::row> rows =
        (sql_->prepare << "SELECT kind, subject_id, subject, unit_id, reason, since "
                          "FROM ps_custody_breaches ORDER BY kind, subject_id");
    for (const auto& r : rows) {
      auto kind = parse_breach_kind(column_text(r, 0));
      if (!kind) continue;  // written by a newer build: it will record it itself
      out.open.push_back({*kind, column_int(r, 1), column_text(r, 2), column_int(r, 3),
                          column_text(r, 4), column_text(r, 5)});
    }
    soci::rowset<soci::row> units = (sql_->prepare << "SELECT unit_id FROM ps_admin_units");
    for (const auto& r : units) out.admin_units.insert(column_int(r, 0));
  } catch (const std::exception& e) {
    return Error{failure("cannot read ps_custody_breaches", e).message()};
  }
  return out;
}

Status SociPortalStore::save_custody_watch(const CustodyWatch& watch,
                                           const std::vector<ChangeRecord>& records) {
  try {
    soci::transaction tx(*sql_);
    *sql_ << "DELETE FROM ps_custody_breaches";
    for (const auto& b : watch.open) {
      std::string kind(to_string(b.kind));
      long long id = b.subject_id, unit = b.unit_id;
      *sql_ << "INSERT INTO ps_custody_breaches(kind, subject_id, subject, unit_id, reason, since) "
               "VALUES (:k, :i, :s, :u, :r, :t)",
          soci::use(kind), soci::use(id), soci::use(b.subject), soci::use(unit),
          soci::use(b.reason), soci::use(b.since);
    }
    *sql_ << "DELETE FROM ps_admin_units";
    for (auto unit : watch.admin_units) {
      long long id = unit;
      *sql_ << "INSERT INTO ps_admin_units(unit_id) VALUES (:u)", soci::use(id);
    }
    for (const auto& r : records) insert_record(r);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot write ps_custody_breaches", e);
  }
  return Status::ok();
}

}  // namespace ps
