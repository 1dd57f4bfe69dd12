// Planning org units and accounts: placement, attribute diffs and the bind lock.
#include "core/planner_internal.h"

#include <cstdlib>

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
  if (n.entry < 0 || n.parent != parent || !iequals(n.rdn_value, u.name) ||
      !is_portal_unit_entry(n.entry) || !take(n.entry, ObjectKind::org_unit, u.id))
    return -1;
  plan_.adopted.push_back({ObjectKind::org_unit, u.id, std::string(entries_[n.entry].anchor())});
  return it->second;
}

void Planner::plan_unit(std::size_t index, const ValidatedPortal& valid) {
  const auto& u = portal_.units[index];
  auto linked = unit_entry_.find(u.id);
  int read = linked == unit_entry_.end() ? -1 : linked->second;
  if (u.parent_id && row_frozen(ObjectKind::org_unit, *u.parent_id))
    freeze_row(ObjectKind::org_unit, u.id, read, "its parent unit's entry is frozen");
  if (row_frozen(ObjectKind::org_unit, u.id)) return;
  int parent = u.parent_id ? unit_node_.at(*u.parent_id) : kBaseNode;
  int node = read >= 0 ? tree_.node_of_entry(static_cast<std::size_t>(read))
                       : adopt_unit_by_position(parent, u);
  if (row_frozen(ObjectKind::org_unit, u.id)) return;
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
  node = place(node, p, new_entry_attributes(unit_object_classes(mapping_), attrs), "new unit");
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
  const int* e = account_entry_.find(a.id);
  if (row_frozen(ObjectKind::org_unit, a.org_unit_id))
    freeze_row(ObjectKind::account, a.id, e ? *e : -1, "its unit's entry is frozen");
  if (row_frozen(ObjectKind::account, a.id)) return;
  int node = e ? tree_.node_of_entry(static_cast<std::size_t>(*e)) : -1;
  Placement p{ObjectKind::account,
              a.id,
              a.org_unit_id,
              std::string(a.username()),
              std::string(account_rdn_type(mapping_)),
              std::string(a.username()),
              unit_node_.at(a.org_unit_id)};
  // The portal's own reason for a disable (離職, a document number) goes with it into the log.
  auto portal_reason = a.status() == "disabled" && !a.disabled_reason().empty()
                           ? ": " + std::string(a.disabled_reason())
                           : std::string();
  UserState state{
      account_may_bind(a),
      "portal status " + std::string(a.status()) + (a.locked ? " (locked)" : "") + portal_reason,
      "new " + std::string(a.status()) + " account"};
  auto attrs = account_attributes(mapping_, a, place_of(a.org_unit_id, valid));
  if (!add_posix_attributes(ObjectKind::account, a.id, a.username(), e ? *e : -1, attrs)) return;
  account_node_.set(a.id, plan_user(node, p, std::move(attrs), state, {}));
}

int Planner::plan_user(int node, const Placement& p, std::vector<DesiredAttribute> attrs,
                       const UserState& state, const std::vector<std::size_t>& extra_deps) {
  if (node < 0) {
    for (auto& a : initial_bind_state(mapping_, state.may_bind)) attrs.push_back(std::move(a));
    node = place(-1, p, new_entry_attributes(account_object_classes(mapping_), attrs),
                 state.add_reason);
    append_unique(plan_.operations.back().depends_on, extra_deps);
    plan_bind_state(node, p, nullptr, state.may_bind, state.why);
    return node;
  }
  bool renamed = tree_.node(node).rdn_value != p.rdn_value;
  node = place(node, p, {}, "");
  const auto& entry = entries_[tree_.node(node).entry];
  auto mods = diff_attributes(&entry, attrs, renamed ? account_rdn_type(mapping_) : "");
  add_missing_class(entry, posix_user_class(mapping_), mods);
  bool unchanged = mods.empty() && tree_.node(node).last_op == kNoOp;
  if (!mods.empty()) {
    auto reason = changed_attributes(mods);
    emit_modify(node, p, std::move(mods), OpType::modify, reason);
    append_unique(plan_.operations.back().depends_on, extra_deps);
  }
  if (plan_bind_state(node, p, &entry, state.may_bind, state.why)) unchanged = false;
  if (unchanged) ++plan_.summary.unchanged;
  return node;
}

bool Planner::plan_bind_state(int node, const Placement& p, const DirectoryEntry* entry,
                              bool may_bind, const std::string& why) {
  if (mapping_.flavor == Flavor::ad) return plan_account_control(node, p, entry, may_bind, why);
  return plan_ppolicy_lock(node, p, entry, may_bind, why);
}

// Only the permanent lock portalsync sets is cleared on enable: a lockout ppolicy set after
// failed binds (another timestamp) is left to expire. slapd enforces pwdAccountLockedTime only
// under a policy with pwdLockout: TRUE, so a locked entry also names the lock policy in
// pwdPolicySubentry; one that names a policy an administrator set keeps it (a plan warning says
// the lock then holds only if that policy has pwdLockout: TRUE). Naming the lock policy on an
// entry that is already locked (written by an older portalsync) is a modify, not a disable.
bool Planner::plan_ppolicy_lock(int node, const Placement& p, const DirectoryEntry* entry,
                                bool may_bind, const std::string& why) {
  if (!entry) return false;  // the add carried the lock
  auto lock = entry->find(kLockAttribute);
  bool permanently_locked = lock && !lock->empty() && lock->front() == kPermanentLock;
  std::vector<std::string> old_values = lock ? lock->strings() : std::vector<std::string>{};
  auto policy = entry->find(kPolicySubentryAttribute);
  std::vector<std::string> old_policy = policy ? policy->strings() : std::vector<std::string>{};
  const std::string& ours = mapping_.lock_policy_dn;
  bool names_ours = !ours.empty() && old_policy.size() == 1 &&
                    normalize_dn(old_policy.front()) == normalize_dn(ours);
  bool names_other = !old_policy.empty() && !names_ours;
  const std::string policy_attribute(kPolicySubentryAttribute);
  std::vector<Modification> mods;
  if (may_bind) {
    if (permanently_locked)
      mods.push_back({Modification::Kind::remove, std::string(kLockAttribute), {}, old_values});
    if (names_ours) mods.push_back({Modification::Kind::remove, policy_attribute, {}, old_policy});
    if (mods.empty()) return false;
    emit_modify(node, p, std::move(mods), permanently_locked ? OpType::enable : OpType::modify,
                permanently_locked ? why : "the lock policy is no longer needed: " + why);
    return true;
  }
  if (names_other)
    plan_.warnings.push_back(std::string(entry->dn()) + " is locked (" + why +
                             ") and keeps the password policy " + old_policy.front() +
                             " an administrator set: the lock stops binds only if that policy "
                             "has pwdLockout: TRUE");
  if (!permanently_locked)
    mods.push_back({Modification::Kind::replace,
                    std::string(kLockAttribute),
                    {std::string(kPermanentLock)},
                    old_values});
  if (!ours.empty() && !names_ours && !names_other)
    mods.push_back({Modification::Kind::replace, policy_attribute, {ours}, {}});
  if (mods.empty()) return false;
  emit_modify(node, p, std::move(mods), permanently_locked ? OpType::modify : OpType::disable,
              permanently_locked ? "the lock policy makes the lock stop binds: " + why : why);
  return true;
}

// AD: the ACCOUNTDISABLE bit of userAccountControl; every other bit (password never expires, …)
// is kept as the directory has it. A new user is added disabled and enabled by a second
// operation, so AD can refuse the enable (no password yet) without losing the user.
bool Planner::plan_account_control(int node, const Placement& p, const DirectoryEntry* entry,
                                   bool may_bind, const std::string& why) {
  long control = kAdNormalAccount | kAdAccountDisable;
  std::vector<std::string> old_values;
  if (entry) {
    auto have = entry->find("userAccountControl");
    if (have && !have->empty()) {
      old_values = have->strings();
      control = std::strtol(old_values.front().c_str(), nullptr, 10);
    }
  }
  bool disabled = (control & kAdAccountDisable) != 0;
  if (may_bind == !disabled) return false;
  long wanted = may_bind ? control & ~kAdAccountDisable : control | kAdAccountDisable;
  emit_modify(node, p,
              {{Modification::Kind::replace,
                "userAccountControl",
                {std::to_string(wanted)},
                std::move(old_values)}},
              may_bind ? OpType::enable : OpType::disable, why);
  return true;
}

}  // namespace ps::planner_detail
