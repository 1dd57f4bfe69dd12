// Planning org units and accounts: placement, attribute diffs and the bind lock.
#include "core/planner_internal.h"

namespace ps::planner_detail {

std::string Planner::changed_attributes(const std::vector<Modification>& mods) {
  std::string names;
  for (const auto& m : mods) names += (names.empty() ? "" : ", ") + m.attribute;
  return "changed: " + names;
}

int Planner::adopt_unit_by_position(int parent, const OrgUnit& u) {
  auto it = child_at_.find(child_key(parent, u.name));
  if (it == child_at_.end()) return -1;
  const auto& n = tree_.node(it->second);
  if (n.entry < 0 || claimed_[n.entry] || n.parent != parent || !iequals(n.rdn_value, u.name) ||
      !is_portal_unit_entry(n.entry))
    return -1;
  claimed_[n.entry] = 1;
  plan_.adopted.push_back({ObjectKind::org_unit, u.id, entries_[n.entry].anchor});
  return it->second;
}

void Planner::plan_unit(std::size_t index, const ValidatedPortal& valid) {
  const auto& u = portal_.units[index];
  int parent = u.parent_id ? unit_node_.at(*u.parent_id) : kBaseNode;
  int node = -1;
  if (auto e = unit_entry_.find(u.id); e != unit_entry_.end())
    node = tree_.node_of_entry(static_cast<std::size_t>(e->second));
  else
    node = adopt_unit_by_position(parent, u);
  Placement p{ObjectKind::org_unit,
              u.id,
              u.id,
              u.name,
              std::string(unit_rdn_type(mapping_)),
              u.name,
              parent};
  auto attrs = unit_attributes(mapping_, u);
  bool existed = node >= 0;
  bool renamed = existed && tree_.node(node).rdn_value != u.name;
  node = place(node, p, add_modifications(unit_object_classes(mapping_), attrs), "new unit");
  unit_node_[u.id] = node;
  if (!existed) return;
  const auto& entry = entries_[tree_.node(node).entry];
  auto mods = diff_attributes(&entry, attrs, renamed ? unit_rdn_type(mapping_) : "");
  if (mods.empty() && tree_.node(node).last_op == kNoOp) ++plan_.summary.unchanged;
  auto reason = changed_attributes(mods);
  emit_modify(node, p, std::move(mods), OpType::modify, reason);
}

void Planner::plan_account(std::size_t index, const ValidatedPortal& valid) {
  const auto& a = portal_.accounts[index];
  const auto& unit = portal_.units[valid.unit_by_id.at(a.org_unit_id)];
  int parent = unit_node_.at(unit.id);
  int node = -1;
  if (auto e = account_entry_.find(a.id); e != account_entry_.end())
    node = tree_.node_of_entry(static_cast<std::size_t>(e->second));
  Placement p{
      ObjectKind::account, a.id,  unit.id, a.username, std::string(account_rdn_type(mapping_)),
      a.username,          parent};
  auto attrs = account_attributes(mapping_, a, unit);
  bool may_bind = account_may_bind(a);
  if (node < 0) {
    if (!may_bind) attrs.push_back({std::string(kLockAttribute), {std::string(kPermanentLock)}});
    account_node_[a.id] = place(-1, p, add_modifications(account_object_classes(mapping_), attrs),
                                "new " + a.status + " account");
    return;
  }
  bool renamed = tree_.node(node).rdn_value != a.username;
  node = place(node, p, {}, "");
  account_node_[a.id] = node;
  const auto& entry = entries_[tree_.node(node).entry];
  auto mods = diff_attributes(&entry, attrs, renamed ? account_rdn_type(mapping_) : "");
  bool unchanged = mods.empty() && tree_.node(node).last_op == kNoOp;
  auto reason = changed_attributes(mods);
  emit_modify(node, p, std::move(mods), OpType::modify, reason);
  if (plan_bind_state(node, p, entry, a, may_bind)) unchanged = false;
  if (unchanged) ++plan_.summary.unchanged;
}

// Only the permanent lock portalsync sets is cleared on enable: a lockout ppolicy set after
// failed binds (another timestamp) is left to expire.
bool Planner::plan_bind_state(int node, const Placement& p, const DirectoryEntry& entry,
                              const Account& a, bool may_bind) {
  const auto* lock = entry.find(kLockAttribute);
  bool permanently_locked = lock && !lock->empty() && lock->front() == kPermanentLock;
  std::vector<std::string> old_values = lock ? *lock : std::vector<std::string>{};
  if (may_bind && permanently_locked) {
    emit_modify(node, p,
                {{Modification::Kind::remove, std::string(kLockAttribute), {}, old_values}},
                OpType::enable, "portal status " + a.status);
    return true;
  }
  if (!may_bind && !permanently_locked) {
    emit_modify(node, p,
                {{Modification::Kind::replace,
                  std::string(kLockAttribute),
                  {std::string(kPermanentLock)},
                  old_values}},
                OpType::disable, "portal status " + a.status + (a.locked ? " (locked)" : ""));
    return true;
  }
  return false;
}

}  // namespace ps::planner_detail
