// Planning entitlement groups: one group per portal system (groupOfNames in OpenLDAP, group in
// AD), members by grant.
#include "core/planner_internal.h"

namespace ps::planner_detail {

// The node of groups_dn, creating the OUs on the way; kNoGroups when groups cannot be placed.
int Planner::ensure_groups_ou() {
  auto groups = parse_dn(mapping_.groups_dn);
  auto base = parse_dn(mapping_.base_dn);
  if (!groups || !base || !is_dn_below(mapping_.groups_dn, mapping_.base_dn)) {
    plan_.warnings.push_back("directory.groups_dn " + mapping_.groups_dn +
                             " is not inside base_dn; entitlement groups are not synced");
    return kNoGroups;
  }
  int parent = kBaseNode;
  std::size_t levels = groups->rdns.size() - base->rdns.size();
  for (std::size_t k = levels; k-- > 0;) {
    const auto& ava = groups->rdns[k].avas.front();
    auto it = child_at_.find(child_key(parent, ava.value));
    if (it != child_at_.end() && !tree_.node(it->second).removed &&
        tree_.node(it->second).parent == parent) {
      parent = it->second;
      continue;
    }
    Placement p{ObjectKind::org_unit, 0, 0, ava.value, to_lower_ascii(ava.type), ava.value, parent};
    parent =
        place(-1, p, new_entry_attributes({"top", "organizationalUnit"}, {{ava.type, {ava.value}}}),
              "the entitlement groups' OU");
  }
  return parent;
}

// The desired member DNs of each system, as the entries will be named after this plan.
std::vector<std::string> Planner::desired_members(const std::vector<RowId>& account_ids,
                                                  MemberDeps& deps) const {
  std::vector<std::string> members;
  for (auto id : account_ids) {
    const int* node = account_node_.find(id);
    if (!node) continue;
    members.push_back(tree_.dn(*node));
    if (auto before = tree_.prerequisites(*node); !before.empty())
      deps[members.back()] = std::move(before);
  }
  std::sort(members.begin(), members.end());
  return members;
}

void Planner::add_member_deps(std::vector<std::size_t>& to, const std::vector<std::string>& values,
                              const MemberDeps& deps) {
  for (const auto& v : values)
    if (auto d = deps.find(v); d != deps.end()) append_unique(to, d->second);
}

// Splits actual against desired member values: exact strings first, then DNs compared in
// normalized form (the server may spell a DN differently from us).
void Planner::split_members(const std::vector<std::string>& have, std::vector<std::string> want,
                            std::vector<std::string>& to_add, std::vector<std::string>& to_remove) {
  std::unordered_set<std::string> wanted(want.begin(), want.end());
  std::vector<std::string> unmatched;
  for (const auto& v : have)
    if (!wanted.erase(v)) unmatched.push_back(v);
  if (!unmatched.empty() && !wanted.empty()) {
    std::unordered_map<std::string, std::string> by_normal;
    for (const auto& w : wanted) by_normal.emplace(normalize_dn(w), w);
    std::vector<std::string> still;
    for (const auto& v : unmatched) {
      auto it = by_normal.find(normalize_dn(v));
      if (it == by_normal.end()) {
        still.push_back(v);
      } else {
        wanted.erase(it->second);
        by_normal.erase(it);
      }
    }
    unmatched = std::move(still);
  }
  to_add.assign(wanted.begin(), wanted.end());
  std::sort(to_add.begin(), to_add.end());
  to_remove = std::move(unmatched);
}

// Member changes as modify operations of at most kMembersPerOperation values, sent one after
// another (a groupOfNames must never be left without a member between two of them).
void Planner::emit_member_changes(int node, const Placement& p,
                                  const std::vector<std::string>& to_add,
                                  const std::vector<std::string>& to_remove,
                                  const MemberDeps& deps) {
  std::vector<Modification> pending;
  std::size_t values = 0;
  std::size_t previous = kNoOp;
  auto flush = [&] {
    if (pending.empty()) return;
    Operation op;
    op.type = OpType::modify;
    op.kind = ObjectKind::group;
    op.portal_id = p.portal_id;
    op.subject = p.subject;
    op.dn = tree_.dn(node);
    op.anchor = tree_.node(node).entry >= 0 ? entries_[tree_.node(node).entry].anchor() : "";
    op.mods = std::move(pending);
    op.reason = "membership";
    op.depends_on = tree_.prerequisites(node);
    for (const auto& m : op.mods) add_member_deps(op.depends_on, m.values, deps);
    if (previous != kNoOp) append_unique(op.depends_on, {previous});
    previous = emit(std::move(op));
    pending.clear();
    values = 0;
  };
  auto add_values = [&](Modification::Kind kind, const std::vector<std::string>& list) {
    for (std::size_t i = 0; i < list.size();) {
      auto n = std::min(kMembersPerOperation - values, list.size() - i);
      std::vector<std::string> chunk(list.begin() + i, list.begin() + i + n);
      auto old = kind == Modification::Kind::remove ? chunk : std::vector<std::string>{};
      pending.push_back({kind, std::string(kMemberAttribute), std::move(chunk), std::move(old)});
      values += n;
      i += n;
      if (values >= kMembersPerOperation) flush();
    }
  };
  add_values(Modification::Kind::add, to_add);
  add_values(Modification::Kind::remove, to_remove);
  flush();
}

std::vector<std::string> Planner::members_after_moves(const std::vector<std::string>& have,
                                                      MemberDeps& deps) {
  if (mapping_.flavor != Flavor::ad) return have;
  if (account_entry_by_dn_.empty())
    for (std::size_t e = 0; e < entries_.size(); ++e)
      if (is_account_entry(static_cast<int>(e)))
        account_entry_by_dn_.emplace(normalize_dn(entries_[e].dn()), static_cast<int>(e));
  std::vector<std::string> out;
  out.reserve(have.size());
  for (const auto& value : have) {
    auto e = account_entry_by_dn_.find(normalize_dn(value));
    int node = e == account_entry_by_dn_.end() ? -1 : tree_.node_of_entry(e->second);
    if (node < 0 || tree_.node(node).last_op == kNoOp) {
      out.push_back(value);
      continue;
    }
    out.push_back(tree_.dn(node));
    append_unique(deps[out.back()], tree_.prerequisites(node));
  }
  return out;
}

// A scoped plan changes only the scope's members: the read returned just those (and the
// placeholder of an empty groupOfNames), unless the group was read whole. A groupOfNames must
// keep a member, so one that may lose its last real member is asked for whole (read_whole) and
// then gets the placeholder in the same modify; one gaining a first member drops it.
void Planner::split_scoped_members(const DirectoryEntry& group, const std::string& own_dn,
                                   std::vector<std::string> current,
                                   const std::vector<std::string>& want,
                                   std::vector<std::string>& to_add,
                                   std::vector<std::string>& to_remove) {
  // A user read is known under the DN it was read with and, on AD, where member values follow
  // their entry (members_after_moves), under the DN this plan moves it to.
  if (scope_member_dns_.empty())
    for (std::size_t e = 0; e < entries_.size(); ++e)
      if (is_account_entry(static_cast<int>(e))) {
        scope_member_dns_.insert(normalize_dn(entries_[e].dn()));
        if (int node = tree_.node_of_entry(e); node >= 0)
          scope_member_dns_.insert(normalize_dn(tree_.dn(node)));
      }
  std::vector<std::string> in_scope, others;
  for (auto& v : current)
    (scope_member_dns_.count(normalize_dn(v)) ? in_scope : others).push_back(std::move(v));
  split_members(in_scope, want, to_add, to_remove);
  if (mapping_.flavor != Flavor::openldap) return;
  // The placeholder is the group's own DN, or the groups' OU an older portalsync used.
  auto own = normalize_dn(own_dn), legacy = normalize_dn(mapping_.groups_dn);
  auto held = std::find_if(others.begin(), others.end(), [&](const std::string& v) {
    auto n = normalize_dn(v);
    return n == own || n == legacy;
  });
  bool has_placeholder = held != others.end();
  if (!scope_->whole_groups.count(normalize_dn(group.dn()))) {
    if (has_placeholder && !to_add.empty())
      to_remove.push_back(*held);
    else if (to_remove.size() > to_add.size())
      plan_.read_whole.emplace_back(group.dn());
    return;
  }
  std::size_t real = others.size() - (has_placeholder ? 1 : 0) + in_scope.size() -
                     to_remove.size() + to_add.size();
  if (real == 0 && !has_placeholder) to_add.push_back(own_dn);
  if (real > 0 && has_placeholder) to_remove.push_back(*held);
}

void Planner::plan_groups(const ValidatedPortal& valid) {
  if (mapping_.groups_dn.empty()) return;
  int groups = ensure_groups_ou();
  if (groups == kNoGroups) return;
  std::unordered_map<std::string, int> by_cn;  // existing groups under the OU, by lower cn
  for (std::size_t n = 0; n < tree_.size(); ++n) {
    const auto& node = tree_.node(static_cast<int>(n));
    if (node.parent == groups && node.entry >= 0 && is_group_entry(node.entry))
      by_cn.emplace(to_lower_ascii(node.rdn_value), node.entry);
  }
  std::unordered_map<RowId, std::string_view> linked;
  for (const auto& l : links_)
    if (l.kind == ObjectKind::group) linked.emplace(l.portal_id, l.anchor);
  auto entitled = entitled_accounts(portal_, enabled_members(valid));
  index_frozen_users();
  std::unordered_set<std::string> names;
  for (const auto& sys : portal_.systems) {
    if (sys.group_name.empty() || !is_valid_utf8(sys.group_name) ||
        !names.insert(to_lower_ascii(sys.group_name)).second) {
      plan_.rejected.push_back({ObjectKind::group, sys.id, sys.group_name,
                                "system " + std::to_string(sys.id) + " (" + sys.code +
                                    "): group_name is empty, not valid UTF-8 or used twice"});
      freeze_rejected_group(sys, linked, by_cn, plan_.rejected.back().reason);
      continue;
    }
    plan_group(sys, groups, linked, by_cn, entitled[sys.id]);
  }
  plan_agency_groups(valid, groups, linked, by_cn, names);
  plan_primary_group(groups, by_cn, names);
  if (scope_) return;  // a group of a system that is gone: the full reconcile removes it
  for (std::size_t n = 0; n < tree_.size(); ++n) {
    const auto& node = tree_.node(static_cast<int>(n));
    if (node.parent == groups && node.entry >= 0 && is_group_entry(node.entry) &&
        !claimed_[node.entry] && !node.removed)
      emit_delete(static_cast<int>(n), ObjectKind::group,
                  "no portal system has this group any more");
  }
}

// directory.posix.primary_group: the group every user's gidNumber (primary_gid) names, so that a
// host shows it by name. It has no portal row, so it is found by name and never linked, and it
// lists no member but its placeholder: users belong to it through their gidNumber. A scoped plan
// leaves it to the full reconcile.
void Planner::plan_primary_group(int groups, const std::unordered_map<std::string, int>& by_cn,
                                 const std::unordered_set<std::string>& system_groups) {
  const auto& posix = mapping_.posix;
  if (!posix.enabled || posix.primary_group.empty() || scope_) return;
  if (system_groups.count(to_lower_ascii(posix.primary_group))) {
    plan_.rejected.push_back({ObjectKind::group, 0, posix.primary_group,
                              "directory.posix.primary_group " + posix.primary_group +
                                  " is also a portal system's group_name: rename one of them"});
    return;
  }
  const System primary{0, "", "primary group of the portal's users", posix.primary_group};
  int entry = -1;
  if (auto e = by_cn.find(to_lower_ascii(posix.primary_group)); e != by_cn.end()) entry = e->second;
  if (is_frozen(entry) || (entry >= 0 && !claim(entry))) return;
  Placement p{ObjectKind::group, 0, 0, posix.primary_group, "cn", posix.primary_group, groups};
  auto attrs = group_attributes(mapping_, primary);
  for (auto& a : posix_group_attributes(posix.primary_gid)) attrs.push_back(std::move(a));
  if (entry < 0) {
    if (mapping_.flavor == Flavor::openldap)
      attrs.push_back(
          {std::string(kMemberAttribute), {join_dn(group_rdn(primary), tree_.dn(groups))}});
    place(-1, p, new_entry_attributes(group_object_classes(mapping_), attrs),
          "the users' primary group (directory.posix.primary_group)");
    return;
  }
  int node = place(tree_.node_of_entry(static_cast<std::size_t>(entry)), p, {}, "");
  const auto& e = entries_[entry];
  auto mods = diff_attributes(&e, attrs, "");
  add_missing_class(e, posix_group_class(mapping_), mods);
  if (mods.empty()) {
    ++plan_.summary.unchanged;
    return;
  }
  auto reason = changed_attributes(mods);
  emit_modify(node, p, std::move(mods), OpType::modify, reason);
}

// A rejected system's group, found by link or name, is frozen: never emptied nor deleted.
void Planner::freeze_rejected_group(const System& sys,
                                    const std::unordered_map<RowId, std::string_view>& linked,
                                    const std::unordered_map<std::string, int>& by_cn,
                                    const std::string& reason) {
  int entry = -1;
  if (auto l = linked.find(sys.id); l != linked.end())
    if (auto e = by_anchor_.find(l->second); e != by_anchor_.end() && is_group_entry(e->second))
      entry = e->second;
  if (auto e = by_cn.find(to_lower_ascii(sys.group_name)); entry < 0 && e != by_cn.end())
    entry = e->second;
  if (entry >= 0 && !claimed_[entry]) freeze_entry(entry, "its portal row is rejected: " + reason);
}

std::vector<std::size_t> Planner::enabled_members(const ValidatedPortal& valid) const {
  std::vector<std::size_t> out;
  for (auto i : valid.accounts)
    if (!mapping_.disabled_leave_groups || portal_.accounts[i].status() == "enabled")
      out.push_back(i);
  return out;
}

void Planner::plan_group(const System& sys, int groups,
                         const std::unordered_map<RowId, std::string_view>& linked,
                         const std::unordered_map<std::string, int>& by_cn,
                         const std::vector<RowId>& ids) {
  int entry = -1;
  if (auto l = linked.find(sys.id); l != linked.end())
    if (auto e = by_anchor_.find(l->second); e != by_anchor_.end() && is_group_entry(e->second))
      entry = e->second;
  if (entry < 0)
    if (auto e = by_cn.find(to_lower_ascii(sys.group_name)); e != by_cn.end()) {
      entry = e->second;
      plan_.adopted.push_back({ObjectKind::group, sys.id, std::string(entries_[entry].anchor())});
    }
  if (is_frozen(entry)) return;  // held by the guard: left as it is, members included
  if (entry >= 0 && !claim(entry)) entry = -1;
  if (entry < 0 && scope_) {
    plan_.needs_full = "group " + sys.group_name + " does not exist yet";
    return;
  }
  Placement p{ObjectKind::group, sys.id, 0, sys.group_name, "cn", sys.group_name, groups};
  auto attrs = group_attributes(mapping_, sys);
  if (!add_posix_attributes(ObjectKind::group, sys.id, sys.group_name, entry, attrs)) return;
  MemberDeps member_deps;
  auto members = desired_members(ids, member_deps);
  // groupOfNames needs a member; an AD group may be empty. The placeholder is the group's own
  // DN after this plan (a rename replaces it, and the groups' OU an older portalsync used goes
  // the same way). A scoped plan sees only the scope's members and leaves the placeholder to the
  // full reconcile.
  const std::string own_dn = join_dn(group_rdn(sys), tree_.dn(groups));
  if (members.empty() && mapping_.flavor == Flavor::openldap && !scope_) members.push_back(own_dn);
  if (entry < 0) {
    std::vector<std::string> first(
        members.begin(), members.begin() + std::min(members.size(), kMembersPerOperation));
    if (!first.empty()) attrs.push_back({std::string(kMemberAttribute), first});
    int node = place(-1, p, new_entry_attributes(group_object_classes(mapping_), attrs),
                     "new entitlement group");
    add_member_deps(plan_.operations.back().depends_on, first, member_deps);
    std::vector<std::string> rest(members.begin() + static_cast<long>(first.size()), members.end());
    emit_member_changes(node, p, rest, {}, member_deps);
    return;
  }
  int node = tree_.node_of_entry(static_cast<std::size_t>(entry));
  bool renamed = tree_.node(node).rdn_value != sys.group_name;
  node = place(node, p, {}, "");
  const auto& e = entries_[entry];
  auto mods = diff_attributes(&e, attrs, renamed ? "cn" : "");
  add_missing_class(e, posix_group_class(mapping_), mods);
  auto reason = changed_attributes(mods);
  emit_modify(node, p, std::move(mods), OpType::modify, reason);
  auto have = e.find(kMemberAttribute);
  std::vector<std::string> to_add, to_remove;
  auto current =
      members_after_moves(have ? have->strings() : std::vector<std::string>{}, member_deps);
  if (auto kept = frozen_members(current); !kept.empty()) {
    members.insert(members.end(), kept.begin(), kept.end());
    std::erase(members, own_dn);  // no longer empty: no placeholder
  }
  if (scope_)
    split_scoped_members(e, own_dn, std::move(current), members, to_add, to_remove);
  else
    split_members(current, members, to_add, to_remove);
  emit_member_changes(node, p, to_add, to_remove, member_deps);
  if (to_add.empty() && to_remove.empty() && tree_.node(node).last_op == kNoOp &&
      reason == "changed: ")
    ++plan_.summary.unchanged;
}

}  // namespace ps::planner_detail
