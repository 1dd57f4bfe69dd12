#include "store/sample/sample_reserved.h"

#include <string>
#include <vector>

#include "store/database.h"
#include "store/sample/sample_time.h"

namespace ps::sample {

namespace {

struct Reserved {
  long long account = 0;
  std::string kind;
  long long target_unit = 0;  // transfer only
  std::string target_role;    // set_role only
  std::string reason;
  int days = 1;  // after the reference day
};

// 08:00 Taiwan time on the day `days` after the one `now` falls on there.
std::string morning_after(TimePoint now, int days) {
  using namespace std::chrono;
  auto day = floor<std::chrono::days>(now + kTaiwanOffset) + std::chrono::days(days);
  return taiwan_time(time_point_cast<system_clock::duration>(day + hours(8) - kTaiwanOffset));
}

// Enabled, unlocked users who keep no shared account: nothing blocks their changes.
std::vector<std::pair<long long, long long>> free_users(soci::session& sql, int count) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, org_unit_id FROM accounts WHERE status = 'enabled' AND "
                      "role = 'user' AND locked = 0 AND id NOT IN (SELECT custodian_id FROM "
                      "shared_accounts) ORDER BY id LIMIT "
                   << count);
  std::vector<std::pair<long long, long long>> out;
  for (const auto& r : rows) out.emplace_back(column_int(r, 0), column_int(r, 1));
  return out;
}

std::vector<Reserved> choose(soci::session& sql) {
  std::vector<Reserved> out;
  auto users = free_users(sql, 3);
  if (!users.empty()) {
    long long to = 0;
    soci::indicator found = soci::i_null;
    sql << "SELECT min(id) FROM org_units WHERE parent_id IS NOT NULL AND id <> :u",
        soci::use(users[0].second), soci::into(to, found);
    if (found == soci::i_ok) out.push_back({users[0].first, "transfer", to, "", "調任", 1});
  }
  long long custodian = 0;
  soci::indicator has_custodian = soci::i_null;
  sql << "SELECT custodian_id FROM shared_accounts ORDER BY id LIMIT 1",
      soci::into(custodian, has_custodian);
  if (sql.got_data() && has_custodian == soci::i_ok)
    out.push_back({custodian, "disable", 0, "", "離職", 2});
  if (users.size() > 1)
    out.push_back({users[1].first, "set_role", 0, "agency_admin", "兼任機關帳號管理者", 3});
  if (users.size() > 2) out.push_back({users[2].first, "disable", 0, "", "屆齡退休", 5});
  return out;
}

}  // namespace

void write_reserved_changes(soci::session& sql, TimePoint now) {
  Reserved r;
  std::string at;
  soci::indicator unit = soci::i_null, role = soci::i_null;
  soci::statement st =
      (sql.prepare << "INSERT INTO scheduled_changes(account_id, kind, target_org_unit_id, "
                      "target_role, reason, effective_at, requested_by) "
                      "VALUES (:a, :k, :u, :r, :why, :at, '人事處')",
       soci::use(r.account), soci::use(r.kind), soci::use(r.target_unit, unit),
       soci::use(r.target_role, role), soci::use(r.reason), soci::use(at));
  for (const auto& change : choose(sql)) {
    r = change;
    at = morning_after(now, r.days);
    unit = r.target_unit ? soci::i_ok : soci::i_null;
    role = r.target_role.empty() ? soci::i_null : soci::i_ok;
    st.execute(true);
  }
}

}  // namespace ps::sample
