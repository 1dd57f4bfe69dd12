#include "store/snapshot_tables.h"

#include "store/row_reader.h"

namespace ps {

namespace {

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

}  // namespace

void load_units(soci::session& sql, PortalSnapshot& p) {
  auto r = read_rows(
      sql, "SELECT id, parent_id, code, name, active, is_agency, agency_level FROM org_units");
  while (r->next())
    p.units.push_back({r->integer(0), r->nullable(1), r->text(2), r->text(3), r->integer(4) != 0,
                       r->integer(5) != 0, r->integer(6)});
}

std::size_t count_accounts(soci::session& sql) {
  long long count = 0;
  sql << "SELECT count(*) FROM accounts", soci::into(count);
  return static_cast<std::size_t>(count);
}

void load_accounts(soci::session& sql, const std::string& where, PortalSnapshot& p) {
  auto r = read_rows(sql,
                     "SELECT id, username, display_name, surname, given_name, title, org_unit_id, "
                     "role, status, locked, email, needs_mail, office_phone, mobile, national_id, "
                     "last_login_at, activated_at, disabled_reason, updated_at FROM accounts" +
                         (where.empty() ? "" : " WHERE " + where));
  if (auto rows = r->size())
    p.accounts.reserve(p.accounts.size() + *rows);
  else if (where.empty())
    p.accounts.reserve(count_accounts(sql));
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

}  // namespace ps
