// Planning removals: entries the portal no longer has, deepest first, and stale links.
#include "core/planner_internal.h"

namespace ps::planner_detail {

void Planner::emit_delete(int node, ObjectKind kind, std::string reason) {
  auto& n = tree_.node(node);
  Operation op;
  op.type = OpType::remove;
  op.kind = kind;
  op.subject = n.rdn_value;
  op.dn = tree_.dn(node);
  op.anchor = entries_[n.entry].anchor();
  op.former_id = former_id(op.anchor);
  op.unit_id = kind == ObjectKind::org_unit ? op.former_id : former_unit(n.parent);
  op.reason = std::move(reason);
  op.depends_on = tree_.prerequisites(node);
  append_unique(op.depends_on, n.departures);
  const auto& attributes = entries_[n.entry].attributes();
  for (std::size_t i = 0; i < attributes.size(); ++i)
    if (!iequals(attributes.name(i), "objectclass"))
      op.mods.push_back(
          {Modification::Kind::remove, attributes.name(i), {}, attributes.values(i).strings()});
  tree_.remove_node(node, emit(std::move(op)));
}

RowId Planner::former_id(std::string_view anchor) {
  if (anchor.empty()) return 0;
  if (former_ids_.empty())
    for (const auto& l : links_) former_ids_.emplace(l.anchor, l.portal_id);
  auto it = former_ids_.find(anchor);
  return it == former_ids_.end() ? 0 : it->second;
}

RowId Planner::former_unit(int node) {
  for (; node != kBaseNode; node = tree_.node(node).parent) {
    int entry = tree_.node(node).entry;
    if (entry < 0 || !is_portal_unit_entry(entry)) continue;
    if (auto id = former_id(entries_[entry].anchor())) return id;
  }
  return 0;
}

namespace {

// The ids of `rows`, sorted: looked up by binary search. This runs at a first sync's peak, where
// hash sets of 100,000 account ids cost 3.5 MB.
template <class Rows>
std::vector<RowId> sorted_ids(const Rows& rows) {
  std::vector<RowId> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool has_id(const std::vector<RowId>& ids, RowId id) {
  return std::binary_search(ids.begin(), ids.end(), id);
}

}  // namespace

void Planner::find_stale_links() {
  if (links_.empty()) return;
  auto units = sorted_ids(portal_.units), accounts = sorted_ids(portal_.accounts);
  auto groups = portal_.systems;  // the agencies' groups are linked by their negative ids
  for (auto& g : agency_groups(portal_, mapping_.agency_groups)) groups.push_back(std::move(g));
  auto systems = sorted_ids(groups), shared = sorted_ids(portal_.shared_accounts);
  for (const auto& l : links_) {
    bool gone = (l.kind == ObjectKind::org_unit && !has_id(units, l.portal_id)) ||
                (l.kind == ObjectKind::account && !has_id(accounts, l.portal_id)) ||
                (l.kind == ObjectKind::group && !has_id(systems, l.portal_id)) ||
                (l.kind == ObjectKind::shared_account && !has_id(shared, l.portal_id));
    if (gone && in_scope(l.kind, l.portal_id)) plan_.stale_links.push_back(l);
  }
}

// A scoped plan saw only some user entries: it removes just those linked to a scoped row that is
// gone, and leaves any other unclaimed entry to the full reconcile.
void Planner::plan_orphan_accounts() {
  std::unordered_set<std::string_view> removable;
  if (scope_)
    for (const auto& l : links_)
      if ((l.kind == ObjectKind::account || l.kind == ObjectKind::shared_account) &&
          in_scope(l.kind, l.portal_id))
        removable.insert(l.anchor);
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    if (claimed_[e] || !is_account_entry(static_cast<int>(e))) continue;
    if (scope_ && !removable.count(entries_[e].anchor())) continue;
    int node = tree_.node_of_entry(e);
    if (node < 0) continue;
    emit_delete(node, ObjectKind::account, "no portal account has this entry any more");
  }
}

// Units of ours (an OU carrying a unit code) that no portal unit claims, deepest first so that
// a retired subtree goes children-first. An OU that still holds entries we do not manage stays.
void Planner::plan_orphan_units() {
  std::vector<std::pair<std::size_t, int>> candidates;  // (depth, node)
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    if (claimed_[e] || !is_portal_unit_entry(static_cast<int>(e))) continue;
    auto code = entries_[e].find(kUnitCodeAttribute);
    int node = tree_.node_of_entry(e);
    if (!code || code->empty() || node < 0) continue;
    std::size_t depth = 0;
    for (int k = node; k != kBaseNode; k = tree_.node(k).parent) ++depth;
    candidates.push_back({depth, node});
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto [depth, node] : candidates) {
    const auto& n = tree_.node(node);
    if (n.children > 0) {
      plan_.warnings.push_back("kept " + tree_.dn(node) +
                               ": no portal unit has it any more, but it "
                               "still holds " +
                               std::to_string(n.children) + " entries portalsync does not manage");
      continue;
    }
    emit_delete(node, ObjectKind::org_unit, "the unit is retired or gone from the portal");
  }
}

}  // namespace ps::planner_detail
