#include "core/scoped_links.h"

#include <unordered_set>

namespace ps {

namespace {

bool is_account_kind(ObjectKind kind) {
  return kind == ObjectKind::account || kind == ObjectKind::shared_account;
}

}  // namespace

LinkSelection select_links(const std::vector<IdentityLink>& all, const LinkRequest& request) {
  LinkSelection out;
  for (const auto& l : all) {
    if (is_account_kind(l.kind)) ++out.account_links;
    if (l.kind != ObjectKind::account || request.accounts.count(l.portal_id) ||
        request.anchors.count(l.anchor))
      out.links.push_back(l);
  }
  return out;
}

Result<LinkSelection> PortalStore::load_links_for(const LinkRequest& request) {
  auto all = load_links();
  if (!all) return Error{all.error()};
  return select_links(all.value(), request);
}

std::set<std::string> unlinked_anchors(const DirectoryReadResult& read,
                                       const std::vector<IdentityLink>& links) {
  std::unordered_set<std::string_view> named;
  for (const auto& l : links) named.insert(l.anchor);
  std::set<std::string> out;
  for (const auto& e : read.entries)
    if (!e.anchor().empty() && !named.count(e.anchor())) out.emplace(e.anchor());
  return out;
}

void merge_links(std::vector<IdentityLink>& into, const std::vector<IdentityLink>& more) {
  std::set<std::pair<ObjectKind, RowId>> held;
  for (const auto& l : into) held.emplace(l.kind, l.portal_id);
  for (const auto& l : more)
    if (held.emplace(l.kind, l.portal_id).second) into.push_back(l);
}

}  // namespace ps
