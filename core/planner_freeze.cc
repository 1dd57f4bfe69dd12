// Frozen entries: a rejected row, or an operation the mass-change guard holds, must never let the
// plan conclude anything from the state it wants. Its entry (for a unit, the whole subtree) is
// claimed before any row is matched and left exactly as it is: not deleted as an orphan, not
// renamed out of another row's way, not taken out of its groups, not named by a shared account's
// manager any differently, until the row is valid again or an operator approves.
#include "core/planner_internal.h"

#include <cstdint>

namespace ps::planner_detail {

namespace {

std::uint64_t row_key(ObjectKind kind, RowId id) {
  return (static_cast<std::uint64_t>(id) << 2) | static_cast<std::uint64_t>(kind);
}

}  // namespace

// Where rejected rows find their entries: built only when some row is rejected.
struct Planner::RejectedIndex {
  std::unordered_map<std::uint64_t, std::string_view> links;  // row_key -> anchor
  std::unordered_map<std::string, int> by_code;               // unit code -> entry
  std::unordered_map<std::string, int> by_username;           // lower-case name -> entry
};

void Planner::freeze(const ValidatedPortal& valid, const std::vector<FrozenEntry>& hold) {
  frozen_.assign(entries_.size(), 0);
  for (const auto& h : hold) {
    int e = -1;
    if (auto it = by_anchor_.find(h.anchor); it != by_anchor_.end()) e = it->second;
    for (std::size_t i = 0; e < 0 && h.anchor == h.dn && i < entries_.size(); ++i)
      if (normalize_dn(entries_[i].dn()) == normalize_dn(h.dn)) e = static_cast<int>(i);
    if (e >= 0) freeze_entry(e, h.reason);
  }
  if (valid.rejected.empty()) return;
  RejectedIndex index;
  for (const auto& l : links_) index.links.emplace(row_key(l.kind, l.portal_id), l.anchor);
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (auto c = entries_[i].find(kUnitCodeAttribute);
        c && !c->empty() && is_portal_unit_entry(static_cast<int>(i)))
      index.by_code.emplace(std::string(c->front()), static_cast<int>(i));
  index.by_username = accounts_by_username();
  for (const auto& r : valid.rejected)
    freeze_row(r.kind, r.portal_id, entry_of_rejection(r, valid, index),
               "its portal row is rejected: " + r.reason);
}

// The entry linked to a rejected row, or else the one its name or unit code points at.
int Planner::entry_of_rejection(const Rejection& r, const ValidatedPortal& valid,
                                const RejectedIndex& index) const {
  if (auto l = index.links.find(row_key(r.kind, r.portal_id)); l != index.links.end())
    if (auto e = by_anchor_.find(l->second); e != by_anchor_.end()) return e->second;
  if (r.kind == ObjectKind::org_unit) {
    auto u = valid.unit_by_id.find(r.portal_id);
    if (u == valid.unit_by_id.end()) return -1;
    auto e = index.by_code.find(portal_.units[u->second].code);
    return e == index.by_code.end() ? -1 : e->second;
  }
  if (r.kind != ObjectKind::account && r.kind != ObjectKind::shared_account) return -1;
  auto e = index.by_username.find(to_lower_ascii(r.subject));
  return e == index.by_username.end() ? -1 : e->second;
}

void Planner::freeze_entry(int e, const std::string& reason) {
  if (frozen_[e]) return;
  frozen_[e] = 1;
  claimed_[e] = 1;
  FrozenEntry report{std::string(entries_[e].anchor()), std::string(entries_[e].dn()), reason, 0};
  if (report.anchor.empty()) report.anchor = report.dn;
  int node = tree_.node_of_entry(static_cast<std::size_t>(e));
  if (node >= 0 && is_portal_unit_entry(e))
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      int below = tree_.node_of_entry(i);
      if (frozen_[i] || below < 0 || !tree_.is_ancestor(node, below)) continue;
      frozen_[i] = 1;
      claimed_[i] = 1;
      ++report.below;
    }
  plan_.frozen.push_back(std::move(report));
}

void Planner::freeze_row(ObjectKind kind, RowId id, int entry, const std::string& reason) {
  frozen_rows_[static_cast<int>(kind)].insert(id);
  if (entry < 0) return;
  if (kind == ObjectKind::account) frozen_account_entry_[id] = entry;
  freeze_entry(entry, reason);
}

bool Planner::take(int e, ObjectKind kind, RowId id) {
  if (!is_frozen(e)) return claim(e);
  frozen_rows_[static_cast<int>(kind)].insert(id);
  if (kind == ObjectKind::account) frozen_account_entry_[id] = e;
  return false;
}

void Planner::index_frozen_users() {
  for (std::size_t e = 0; e < entries_.size(); ++e)
    if (frozen_[e] && is_account_entry(static_cast<int>(e)))
      frozen_users_.emplace(normalize_dn(entries_[e].dn()), tree_.node_of_entry(e));
}

std::vector<std::string> Planner::frozen_members(const std::vector<std::string>& have) const {
  std::vector<std::string> out;
  if (frozen_users_.empty()) return out;
  for (const auto& v : have)
    if (auto it = frozen_users_.find(normalize_dn(v)); it != frozen_users_.end())
      out.push_back(it->second >= 0 ? tree_.dn(it->second) : v);
  return out;
}

std::string Planner::frozen_account_dn(RowId id) const {
  auto it = frozen_account_entry_.find(id);
  if (it == frozen_account_entry_.end()) return "";
  int node = tree_.node_of_entry(static_cast<std::size_t>(it->second));
  return node >= 0 ? tree_.dn(node) : std::string(entries_[it->second].dn());
}

}  // namespace ps::planner_detail
