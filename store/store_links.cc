// SociPortalStore::load_links_for: the identity links a scoped run needs (core/scoped_links.h),
// looked up by the primary key (kind, portal_id) instead of reading all 100,000 account links.
#include <algorithm>

#include "core/scoped_links.h"
#include "store/database_failure.h"
#include "store/dialect.h"
#include "store/row_reader.h"
#include "store/soci_portal_store.h"
#include "store/sql_lists.h"

namespace ps {

namespace {

void read_links(soci::session& sql, const std::string& where, std::vector<IdentityLink>& out) {
  auto r = read_rows(sql, "SELECT kind, portal_id, anchor FROM ps_links WHERE " + where);
  while (r->next())
    if (auto kind = parse_object_kind(r->text(0)))
      out.push_back({*kind, r->integer(1), r->text(2)});
}

std::string kind_list(std::initializer_list<ObjectKind> kinds) {
  std::string out;
  for (auto k : kinds) out += (out.empty() ? "" : ", ") + sql_text(std::string(to_string(k)));
  return out;
}

}  // namespace

Result<LinkSelection> SociPortalStore::load_links_for(const LinkRequest& request) {
  LinkSelection out;
  try {
    read_links(
        *sql_,
        "kind IN (" +
            kind_list({ObjectKind::org_unit, ObjectKind::group, ObjectKind::shared_account}) + ")",
        out.links);
    // Every link but the unit and group links just read: the guard's proportion needs no more.
    auto others = std::count_if(out.links.begin(), out.links.end(), [](const IdentityLink& l) {
      return l.kind == ObjectKind::org_unit || l.kind == ObjectKind::group;
    });
    out.account_links = static_cast<std::size_t>(
        std::max(0LL, dialect_of(*sql_).estimated_rows(*sql_, "ps_links") - others));
    auto account = kind_list({ObjectKind::account});
    for (const auto& list : in_lists(request.accounts, sql_integer))
      read_links(*sql_, "kind = " + account + " AND portal_id IN (" + list + ")", out.links);
    std::vector<IdentityLink> by_anchor;
    for (const auto& list : in_lists(request.anchors, sql_text))
      read_links(*sql_, "kind = " + account + " AND anchor IN (" + list + ")", by_anchor);
    merge_links(out.links, by_anchor);
  } catch (const std::exception& e) {
    auto st = failure("cannot read ps_links", e);
    return Error{st.message(), st.code()};
  }
  return out;
}

}  // namespace ps
