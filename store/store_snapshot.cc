// SociPortalStore: opening, the interface tables and the identity links.
#include <algorithm>
#include <map>
#include <tuple>

#include "store/database.h"
#include "store/database_failure.h"
#include "store/dialect.h"
#include "store/posix_ids.h"
#include "store/row_reader.h"
#include "store/schema.h"
#include "store/snapshot_tables.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::unique_ptr<SociPortalStore>> SociPortalStore::open(const std::string& url,
                                                               const std::string& audit_key) {
  auto db = open_database(url, true);
  if (!db) return Error{db.error(), db.code()};
  if (auto st = check_schema_version(*db.value(), url); !st) return Error{st.message(), st.code()};
  return std::unique_ptr<SociPortalStore>(
      new SociPortalStore(std::move(db.value()), url, audit_key));
}

Status SociPortalStore::failure(const std::string& what, const std::exception& e) const {
  return Status::error(database_failure_code(e), "portal database " + database_label(url_) + ": " +
                                                     what + ": " + database_error(e) +
                                                     database_failure_hint(e));
}

Result<PortalSnapshot> SociPortalStore::load_snapshot() {
  PortalSnapshot p;
  try {
    soci::transaction tx(*sql_);  // one consistent read while the portal keeps writing
    dialect_of(*sql_).consistent_reads(*sql_);
    load_units(*sql_, p);
    load_accounts(*sql_, "", p);
    load_shared_accounts(*sql_, p);
    load_systems(*sql_, p);
    p.unit_systems = load_grants(*sql_, "SELECT org_unit_id, system_id FROM org_unit_systems");
    p.account_systems = load_grants(*sql_, "SELECT account_id, system_id FROM account_systems");
    load_posix_ids(*sql_, p);
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

namespace {

// Many links to a statement: a first sync links every account it adds, and on a server each
// statement is a round trip. A link named twice keeps the later anchor, as one at a time would
// (PostgreSQL refuses to update a row twice in one statement).
void upsert_links(soci::session& sql, const std::vector<IdentityLink>& links) {
  constexpr std::size_t kPerStatement = 500;
  std::map<std::pair<std::string, long long>, std::string> latest;
  for (const auto& l : links) latest[{std::string(to_string(l.kind)), l.portal_id}] = l.anchor;
  std::vector<std::tuple<std::string, long long, std::string>> rows;
  rows.reserve(latest.size());  // bound below: addresses must not move
  for (const auto& [key, anchor] : latest) rows.emplace_back(key.first, key.second, anchor);
  const auto upsert = dialect_of(sql).on_conflict_update("kind, portal_id", "anchor");
  for (std::size_t first = 0; first < rows.size(); first += kPerStatement) {
    auto end = std::min(rows.size(), first + kPerStatement);
    std::string values;
    for (auto i = first; i < end; ++i) {
      auto n = std::to_string(i);
      values += (i == first ? "(:k" : ", (:k") + n + ", :i" + n + ", :a" + n + ")";
    }
    auto put =
        (sql << "INSERT INTO ps_links(kind, portal_id, anchor) VALUES " << values << " " << upsert);
    for (auto i = first; i < end; ++i)
      put, soci::use(std::get<0>(rows[i])), soci::use(std::get<1>(rows[i])),
          soci::use(std::get<2>(rows[i]));
  }  // each statement runs as its `put` goes out of scope
}

}  // namespace

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
    upsert_links(*sql_, upsert);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot save identity links", e);
  }
  return Status::ok();
}

}  // namespace ps
