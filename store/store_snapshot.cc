// SociPortalStore: opening, the interface tables and the identity links.
#include "store/database.h"
#include "store/schema.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::unique_ptr<SociPortalStore>> SociPortalStore::open(const std::string& url) {
  using R = Result<std::unique_ptr<SociPortalStore>>;
  auto db = open_database(url, true);
  if (!db) return Error{db.error()};
  try {
    if (auto st = check_schema_version(*db.value(), url); !st) return Error{st.message()};
  } catch (const std::exception& e) {
    return R::failure("portal database " + sqlite_path(url) + ": " + e.what());
  }
  return std::unique_ptr<SociPortalStore>(new SociPortalStore(std::move(db.value()), url));
}

Status SociPortalStore::failure(const std::string& what, const std::exception& e) const {
  return Status::error("portal database " + sqlite_path(url_) + ": " + what + ": " + e.what());
}

namespace {

void load_units(soci::session& sql, PortalSnapshot& p) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, parent_id, code, name, active FROM org_units");
  for (const auto& r : rows) {
    OrgUnit u;
    u.id = column_int(r, 0);
    if (r.get_indicator(1) != soci::i_null) u.parent_id = column_int(r, 1);
    u.code = column_text(r, 2);
    u.name = column_text(r, 3);
    u.active = column_int(r, 4) != 0;
    p.units.push_back(std::move(u));
  }
}

void load_accounts(soci::session& sql, PortalSnapshot& p) {
  long long count = 0;
  sql << "SELECT count(*) FROM accounts", soci::into(count);
  p.accounts.reserve(static_cast<std::size_t>(count));  // an Account is large: no regrowth copies
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, username, display_name, surname, given_name, title, org_unit_id, "
                      "role, status, locked, email, needs_mail, office_phone, mobile, national_id, "
                      "last_login_at, activated_at, disabled_reason, updated_at FROM accounts");
  for (const auto& r : rows) {
    Account a;
    a.id = column_int(r, 0);
    a.username = column_text(r, 1);
    a.display_name = column_text(r, 2);
    a.surname = column_text(r, 3);
    a.given_name = column_text(r, 4);
    a.title = column_text(r, 5);
    a.org_unit_id = column_int(r, 6);
    a.role = column_text(r, 7);
    a.status = column_text(r, 8);
    a.locked = column_int(r, 9) != 0;
    a.email = column_text(r, 10);
    a.needs_mail = column_int(r, 11) != 0;
    a.office_phone = column_text(r, 12);
    a.mobile = column_text(r, 13);
    a.national_id = column_text(r, 14);
    a.last_login_at = column_text(r, 15);
    a.activated_at = column_text(r, 16);
    a.disabled_reason = column_text(r, 17);
    a.updated_at = column_text(r, 18);
    p.accounts.push_back(std::move(a));
  }
}

void load_shared_and_systems(soci::session& sql, PortalSnapshot& p) {
  soci::rowset<soci::row> shared =
      (sql.prepare << "SELECT id, username, kind, display_name, "
                      "org_unit_id, custodian_id, status FROM shared_accounts");
  for (const auto& r : shared)
    p.shared_accounts.push_back({column_int(r, 0), column_text(r, 1), column_text(r, 2),
                                 column_text(r, 3), column_int(r, 4), column_int(r, 5),
                                 column_text(r, 6)});
  soci::rowset<soci::row> systems =
      (sql.prepare << "SELECT id, code, name, group_name FROM systems");
  for (const auto& r : systems)
    p.systems.push_back(
        {column_int(r, 0), column_text(r, 1), column_text(r, 2), column_text(r, 3)});
  soci::rowset<soci::row> unit_grants =
      (sql.prepare << "SELECT org_unit_id, system_id FROM org_unit_systems");
  for (const auto& r : unit_grants) p.unit_systems.push_back({column_int(r, 0), column_int(r, 1)});
  soci::rowset<soci::row> grants =
      (sql.prepare << "SELECT account_id, system_id FROM account_systems");
  for (const auto& r : grants) p.account_systems.push_back({column_int(r, 0), column_int(r, 1)});
}

}  // namespace

Result<PortalSnapshot> SociPortalStore::load_snapshot() {
  PortalSnapshot p;
  try {
    soci::transaction tx(*sql_);  // one consistent read while the portal keeps writing
    load_units(*sql_, p);
    load_accounts(*sql_, p);
    load_shared_and_systems(*sql_, p);
    tx.commit();
  } catch (const std::exception& e) {
    return Error{failure("cannot read the interface tables", e).message()};
  }
  return p;
}

Result<std::vector<IdentityLink>> SociPortalStore::load_links() {
  std::vector<IdentityLink> links;
  try {
    soci::rowset<soci::row> rows =
        (sql_->prepare << "SELECT kind, portal_id, anchor FROM ps_links");
    for (const auto& r : rows)
      if (auto kind = parse_object_kind(column_text(r, 0)))
        links.push_back({*kind, column_int(r, 1), column_text(r, 2)});
  } catch (const std::exception& e) {
    return Error{failure("cannot read ps_links", e).message()};
  }
  return links;
}

Status SociPortalStore::save_links(const std::vector<IdentityLink>& upsert,
                                   const std::vector<IdentityLink>& remove) {
  if (upsert.empty() && remove.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    std::string kind, anchor;
    long long id = 0;
    soci::statement del =
        (sql_->prepare << "DELETE FROM ps_links WHERE kind = :k AND portal_id = :i",
         soci::use(kind), soci::use(id));
    for (const auto& l : remove) {
      kind = std::string(to_string(l.kind));
      id = l.portal_id;
      del.execute(true);
    }
    soci::statement put =
        (sql_->prepare << "INSERT OR REPLACE INTO ps_links(kind, portal_id, anchor) "
                          "VALUES (:k, :i, :a)",
         soci::use(kind), soci::use(id), soci::use(anchor));
    for (const auto& l : upsert) {
      kind = std::string(to_string(l.kind));
      id = l.portal_id;
      anchor = l.anchor;
      put.execute(true);
    }
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot save identity links", e);
  }
  return Status::ok();
}

}  // namespace ps
