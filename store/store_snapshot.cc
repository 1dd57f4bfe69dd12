// SociPortalStore: opening, the interface tables and the identity links.
#include "store/database.h"
#include "store/row_reader.h"
#include "store/schema.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::unique_ptr<SociPortalStore>> SociPortalStore::open(const std::string& url) {
  auto db = open_database(url, true);
  if (!db) return Error{db.error()};
  if (auto st = check_schema_version(*db.value(), url); !st) return Error{st.message()};
  return std::unique_ptr<SociPortalStore>(new SociPortalStore(std::move(db.value()), url));
}

Status SociPortalStore::failure(const std::string& what, const std::exception& e) const {
  return Status::error("portal database " + sqlite_path(url_) + ": " + what + ": " +
                       database_error(e));
}

namespace {

// The rows are taken as stored: checking them is the engine's job, so a bad row never stops the
// load.

void load_units(soci::session& sql, PortalSnapshot& p) {
  auto r = read_rows(sql, "SELECT id, parent_id, code, name, active FROM org_units");
  while (r->next())
    p.units.push_back({r->integer(0), r->nullable(1), r->text(2), r->text(3), r->integer(4) != 0});
}

Account read_account(const RowReader& r) {
  Account a;
  a.id = r.integer(0);
  a.org_unit_id = r.integer(6);
  a.locked = r.integer(9) != 0;
  a.needs_mail = r.integer(11) != 0;
  // In the order of Account's accessors: username, display_name, surname, given_name, title,
  // role, status, email, office_phone, mobile, national_id, last_login_at, activated_at,
  // disabled_reason, updated_at.
  a.set_text({r.text_view(1), r.text_view(2), r.text_view(3), r.text_view(4), r.text_view(5),
              r.text_view(7), r.text_view(8), r.text_view(10), r.text_view(12), r.text_view(13),
              r.text_view(14), r.text_view(15), r.text_view(16), r.text_view(17), r.text_view(18)});
  return a;
}

void load_accounts(soci::session& sql, PortalSnapshot& p) {
  long long count = 0;
  sql << "SELECT count(*) FROM accounts", soci::into(count);
  p.accounts.reserve(static_cast<std::size_t>(count));
  auto r = read_rows(sql,
                     "SELECT id, username, display_name, surname, given_name, title, org_unit_id, "
                     "role, status, locked, email, needs_mail, office_phone, mobile, national_id, "
                     "last_login_at, activated_at, disabled_reason, updated_at FROM accounts");
  while (r->next()) p.accounts.push_back(read_account(*r));
}

void load_shared_accounts(soci::session& sql, PortalSnapshot& p) {
  auto r = read_rows(sql,
                     "SELECT id, username, kind, display_name, org_unit_id, custodian_id, status "
                     "FROM shared_accounts");
  while (r->next())
    p.shared_accounts.push_back({r->integer(0), r->text(1), r->text(2), r->text(3), r->integer(4),
                                 r->integer(5), r->text(6)});
}

void load_systems(soci::session& sql, PortalSnapshot& p) {
  auto r = read_rows(sql, "SELECT id, code, name, group_name FROM systems");
  while (r->next()) p.systems.push_back({r->integer(0), r->text(1), r->text(2), r->text(3)});
}

std::vector<Grant> load_grants(soci::session& sql, const std::string& query) {
  std::vector<Grant> out;
  auto r = read_rows(sql, query);
  while (r->next()) out.push_back({r->integer(0), r->integer(1)});
  return out;
}

}  // namespace

Result<PortalSnapshot> SociPortalStore::load_snapshot() {
  PortalSnapshot p;
  try {
    soci::transaction tx(*sql_);  // one consistent read while the portal keeps writing
    load_units(*sql_, p);
    load_accounts(*sql_, p);
    load_shared_accounts(*sql_, p);
    load_systems(*sql_, p);
    p.unit_systems = load_grants(*sql_, "SELECT org_unit_id, system_id FROM org_unit_systems");
    p.account_systems = load_grants(*sql_, "SELECT account_id, system_id FROM account_systems");
    tx.commit();
  } catch (const std::exception& e) {
    return Error{failure("cannot read the interface tables", e).message()};
  }
  return p;
}

Result<std::vector<IdentityLink>> SociPortalStore::load_links() {
  std::vector<IdentityLink> links;
  try {
    auto r = read_rows(*sql_, "SELECT kind, portal_id, anchor FROM ps_links");
    while (r->next())
      if (auto kind = parse_object_kind(r->text(0)))
        links.push_back({*kind, r->integer(1), r->text(2)});
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
