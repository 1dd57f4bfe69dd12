// SociPortalStore::load_partial_snapshot: what a scoped run needs of the interface tables (see
// PortalStore). The small tables are read whole; the accounts by id, by unit and by case-folded
// username, in IN lists of at most kInListSize values so that no statement grows without bound.
// At 100,000 accounts this reads a journal run's 1,000 accounts in a fraction of the time the
// whole table takes, and the engine then checks 1,000 rows instead of 100,000.
#include <algorithm>
#include <functional>

#include "core/text.h"
#include "store/database.h"
#include "store/dialect.h"
#include "store/posix_ids.h"
#include "store/snapshot_tables.h"
#include "store/soci_portal_store.h"
#include "store/sql_lists.h"

namespace ps {

namespace {

// `roots` and every unit below them (a cycle in the portal's tree ends the walk).
std::set<RowId> units_below(const std::set<RowId>& roots, const std::vector<OrgUnit>& units) {
  std::set<RowId> out(roots.begin(), roots.end());
  for (bool grew = !roots.empty(); grew;) {
    grew = false;
    for (const auto& u : units)
      if (u.parent_id && out.count(*u.parent_id) && out.insert(u.id).second) grew = true;
  }
  return out;
}

void sort_unique_accounts(std::vector<Account>& accounts) {
  std::sort(accounts.begin(), accounts.end(),
            [](const Account& a, const Account& b) { return a.id < b.id; });
  accounts.erase(std::unique(accounts.begin(), accounts.end(),
                             [](const Account& a, const Account& b) { return a.id == b.id; }),
                 accounts.end());
}

// The requested accounts: by id, the custodian of every shared account, and by unit. Every
// custodian, not only those of the requested shared accounts: the row checks look at every shared
// account, and one whose custodian was not loaded would be reported "synced without manager" by
// every journal run (200 warnings a run at 100,000 accounts).
void load_requested_accounts(soci::session& sql, const PartialSnapshotRequest& want,
                             PortalSnapshot& p) {
  std::set<RowId> ids = want.accounts;
  for (const auto& s : p.shared_accounts)
    if (s.custodian_id != 0) ids.insert(s.custodian_id);
  for (const auto& list : in_lists(ids, sql_integer)) load_accounts(sql, "id IN (" + list + ")", p);
  for (const auto& list : in_lists(units_below(want.units, p.units), sql_integer))
    load_accounts(sql, "org_unit_id IN (" + list + ")", p);
  sort_unique_accounts(p.accounts);
}

// Every account whose username equals a loaded one's ignoring ASCII letter case. With the index
// of folded names (accounts_username_folded, docs/portal-schema.md) each list is looked up in it:
// lists of at most kFoldedLookupSize names, past which PostgreSQL's planner prefers a scan.
// Without the index each statement scans the table (40-90 ms at 100,000 accounts), so all go in
// one list, which a scope's limit (5% of the portal) keeps to a few thousand names.
constexpr std::size_t kFoldedLookupSize = 1000;

void load_username_namesakes(soci::session& sql, PortalSnapshot& p) {
  std::set<std::string> names;
  for (const auto& a : p.accounts) names.insert(to_lower_ascii(a.username()));
  const auto& dialect = dialect_of(sql);
  auto size =
      dialect.has_index(sql, "accounts_username_folded") ? kFoldedLookupSize : names.size() + 1;
  // Folded the way to_lower_ascii folds it.
  auto folded = dialect.fold_ascii("username");
  for (const auto& list : in_lists(names, sql_text, size))
    load_accounts(sql, folded + " IN (" + list + ")", p);
  sort_unique_accounts(p.accounts);
}

}  // namespace

Result<PortalSnapshot> SociPortalStore::load_partial_snapshot(const PartialSnapshotRequest& want) {
  PortalSnapshot p;
  p.partial = true;
  try {
    soci::transaction tx(*sql_);  // one consistent read while the portal keeps writing
    dialect_of(*sql_).consistent_reads(*sql_);
    load_units(*sql_, p);
    load_shared_accounts(*sql_, p);
    load_systems(*sql_, p);
    p.unit_systems = load_grants(*sql_, "SELECT org_unit_id, system_id FROM org_unit_systems");
    p.account_count = dialect_of(*sql_).estimated_rows(*sql_, "accounts");
    load_requested_accounts(*sql_, want, p);
    load_username_namesakes(*sql_, p);
    std::vector<RowId> ids;
    for (const auto& a : p.accounts) ids.push_back(a.id);
    for (const auto& list : in_lists(ids, sql_integer)) {
      auto grants = load_grants(*sql_,
                                "SELECT account_id, system_id FROM account_systems WHERE "
                                "account_id IN (" +
                                    list + ")");
      p.account_systems.insert(p.account_systems.end(), grants.begin(), grants.end());
    }
    load_posix_ids(*sql_, p);  // all of them: the next number is above every one ever assigned
    tx.commit();
  } catch (const std::exception& e) {
    return Error{failure("cannot read the interface tables", e).message()};
  }
  return p;
}

}  // namespace ps
