#include "store/sample/sample_portal.h"

#include <algorithm>
#include <map>

#include "store/database.h"
#include "store/dialect.h"
#include "store/sample/sample_accounts.h"
#include "store/sample/sample_reserved.h"
#include "store/sample/sample_tree.h"
#include "store/schema.h"

namespace ps {

namespace {

using sample::Unit;

Status refuse_non_empty(soci::session& sql, const std::string& url) {
  long long accounts = 0, units = 0;
  sql << "SELECT count(*) FROM accounts", soci::into(accounts);
  sql << "SELECT count(*) FROM org_units", soci::into(units);
  auto refuse = [&](long long n, const char* what) {
    return Status::error("portal database " + database_label(url) + " already holds " +
                         std::to_string(n) + " " + what + "; the sample goes into an empty one");
  };
  if (accounts > 0) return refuse(accounts, "accounts");
  if (units > 0) return refuse(units, "org units");
  return Status::ok();
}

// The sample writes only the interface tables. On a server the portal's own account writes them
// but cannot see portalsync's tables (docs/portal-schema.md): there their columns are checked
// instead of the schema version.
Status check_sample_target(soci::session& sql, const std::string& url) {
  const auto& dialect = dialect_of(sql);
  if (dialect.has_table(sql, "ps_schema_version") || !dialect.has_table(sql, "accounts"))
    return check_schema_version(sql, url);
  return check_interface_columns(sql, url);
}

void write_units(soci::session& sql, const std::vector<Unit>& units) {
  Unit u;
  soci::indicator parent = soci::i_null;
  soci::statement st =
      (sql.prepare << "INSERT INTO org_units(id, parent_id, code, name, active) "
                      "VALUES (:i, :p, :c, :n, 1)",
       soci::use(u.id), soci::use(u.parent, parent), soci::use(u.code), soci::use(u.name));
  for (const auto& unit : units) {
    u = unit;
    parent = unit.parent ? soci::i_ok : soci::i_null;
    st.execute(true);
  }
}

soci::indicator null_if_empty(const std::string& s) {
  return s.empty() ? soci::i_null : soci::i_ok;
}

// Returns, per unit, its first enabled and unlocked account: the custodian of a shared account.
std::map<long long, long long> write_accounts(soci::session& sql, sample::AccountMaker& maker,
                                              int count) {
  // SOCI binds variables, not accessors: each text column is copied into its own string.
  std::string username, display_name, surname, given_name, title, role, status, email, office_phone,
      mobile_text, national_id, last_login_at, activated_at, disabled_reason, updated_at;
  long long id = 0, unit = 0;
  int locked = 0, needs_mail = 0;
  soci::indicator mobile = soci::i_ok, login = soci::i_ok, activated = soci::i_ok,
                  reason = soci::i_ok;
  soci::statement st =
      (sql.prepare << "INSERT INTO accounts(id, username, display_name, surname, given_name, "
                      "title, org_unit_id, role, status, locked, email, needs_mail, office_phone, "
                      "mobile, national_id, last_login_at, activated_at, disabled_reason, "
                      "updated_at) VALUES (:id, :u, :d, :s, :g, :t, :o, :r, :st, :l, :e, :nm, "
                      ":op, :m, :n, :ll, :ac, :dr, :up)",
       soci::use(id), soci::use(username), soci::use(display_name), soci::use(surname),
       soci::use(given_name), soci::use(title), soci::use(unit), soci::use(role), soci::use(status),
       soci::use(locked), soci::use(email), soci::use(needs_mail), soci::use(office_phone),
       soci::use(mobile_text, mobile), soci::use(national_id), soci::use(last_login_at, login),
       soci::use(activated_at, activated), soci::use(disabled_reason, reason),
       soci::use(updated_at));
  std::map<long long, long long> custodians;
  for (int i = 1; i <= count; ++i) {
    Account a = maker.make(i);
    id = a.id;
    unit = a.org_unit_id;
    locked = a.locked;
    needs_mail = a.needs_mail;
    username = a.username();
    display_name = a.display_name();
    surname = a.surname();
    given_name = a.given_name();
    title = a.title();
    role = a.role();
    status = a.status();
    email = a.email();
    office_phone = a.office_phone();
    mobile_text = a.mobile();
    national_id = a.national_id();
    last_login_at = a.last_login_at();
    activated_at = a.activated_at();
    disabled_reason = a.disabled_reason();
    updated_at = a.updated_at();
    mobile = null_if_empty(mobile_text);
    login = null_if_empty(last_login_at);
    activated = null_if_empty(activated_at);
    reason = null_if_empty(disabled_reason);
    st.execute(true);
    if (a.status() == "enabled" && !a.locked) custodians.emplace(unit, id);
  }
  return custodians;
}

void grant_unit(soci::session& sql, long long unit, long long system) {
  sql << "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (:u, :s)", soci::use(unit),
      soci::use(system);
}

// Every bureau and district office uses 公文 and 差勤, schools 差勤; personnel and accounting
// units get their own systems; a few accounts have mail or HR access of their own. The root unit
// gets no grant (tests grant mail, system 3, to everyone through it).
void write_systems(soci::session& sql, const std::vector<Unit>& units, int accounts,
                   sample::Random& random) {
  sql << "INSERT INTO systems(id, code, name, group_name) VALUES "
         "(1, 'edoc', '公文系統', 'sys-edoc'), (2, 'leave', '差勤系統', 'sys-leave'), "
         "(3, 'mail', '電子郵件', 'sys-mail'), (4, 'hr', '人事服務網', 'sys-hr'), "
         "(5, 'budget', '預算會計系統', 'sys-budget')";
  for (const auto& u : units) {
    if (u.level == 2) grant_unit(sql, u.id, 1);
    if (u.level == 2 || u.workplace == sample::Workplace::school) grant_unit(sql, u.id, 2);
    if (u.name == "人事處" || u.name == "人事室") grant_unit(sql, u.id, 4);
    if (u.name == "主計處" || u.name == "會計室") grant_unit(sql, u.id, 5);
  }
  long long id = 0, system = 0;
  soci::statement st =
      (sql.prepare << "INSERT INTO account_systems(account_id, system_id) VALUES (:a, :s)",
       soci::use(id), soci::use(system));
  for (id = 1; id <= accounts; ++id) {
    int p = random.below(100);
    if (p >= 7) continue;
    system = p < 5 ? 3 : 4;
    st.execute(true);
  }
}

// A few units (one in ten, 3 to 200) have an agency or a mail account kept by one of their staff.
void write_shared_accounts(soci::session& sql, const std::vector<Unit>& units,
                           const std::map<long long, long long>& custodians) {
  auto wanted = std::clamp(static_cast<int>(units.size()) / 10, 3, 200);
  auto step = std::max<std::size_t>(custodians.size() / static_cast<std::size_t>(wanted), 1);
  std::string username, name;
  long long unit = 0, custodian = 0;
  std::string kind;
  soci::statement st =
      (sql.prepare << "INSERT INTO shared_accounts(username, kind, display_name, org_unit_id, "
                      "custodian_id, status) VALUES (:u, :k, :d, :o, :c, 'enabled')",
       soci::use(username), soci::use(kind), soci::use(name), soci::use(unit),
       soci::use(custodian));
  int made = 0;
  std::size_t i = 0;
  for (const auto& [unit_id, custodian_id] : custodians) {
    if (i++ % step != 0 || made == wanted) continue;
    const auto& u = units[static_cast<std::size_t>(unit_id - 1)];
    bool mail = ++made % 3 == 0;
    kind = mail ? "mail" : "agency";
    std::string code = u.code;
    std::transform(code.begin(), code.end(), code.begin(), [](char c) { return c | 0x20; });
    username = (mail ? "mail." : "office.") + code;
    name = u.name + (mail ? "公務信箱" : "公務帳號");
    unit = unit_id;
    custodian = custodian_id;
    st.execute(true);
  }
}

}  // namespace

Status write_sample_portal(const std::string& url, const SampleOptions& options) {
  auto db = open_database(url, true);
  if (!db) return db.status();
  auto& sql = *db.value();
  try {
    if (auto st = check_sample_target(sql, url); !st) return st;
    soci::transaction tx(sql);  // all or nothing; rolled back by an early return
    if (auto st = refuse_non_empty(sql, url); !st) return st;
    sample::Random random(options.seed);
    auto units = sample::build_tree(options.units);
    write_units(sql, units);
    sample::AccountMaker maker(random, units, {options.now, options.idle_percent});
    auto custodians = write_accounts(sql, maker, std::max(options.accounts, 0));
    write_systems(sql, units, options.accounts, random);
    write_shared_accounts(sql, units, custodians);
    sample::write_reserved_changes(sql, options.now);
    tx.commit();
  } catch (const std::exception& e) {
    return Status::error("portal database " + database_label(url) +
                         ": cannot write the sample: " + database_error(e));
  }
  return Status::ok();
}

}  // namespace ps
