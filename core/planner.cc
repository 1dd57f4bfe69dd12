#include "core/planner.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/directory_tree.h"
#include "core/dn.h"
#include "core/entitlements.h"
#include "core/portal_validation.h"
#include "core/text.h"

namespace ps {

std::size_t Plan::count(OpType type) const {
  return static_cast<std::size_t>(std::count_if(
      operations.begin(), operations.end(), [&](const Operation& op) { return op.type == type; }));
}

std::vector<Modification> diff_attributes(const DirectoryEntry* actual,
                                          const std::vector<DesiredAttribute>& desired,
                                          std::string_view skip) {
  static const std::vector<std::string> kNone;
  std::vector<Modification> mods;
  for (const auto& want : desired) {
    if (!skip.empty() && iequals(want.name, skip)) continue;
    const auto* have = actual ? actual->find(want.name) : nullptr;
    const auto& current = have ? *have : kNone;
    if (current == want.values) continue;
    if (want.values.empty())
      mods.push_back({Modification::Kind::remove, want.name, {}, current});
    else
      mods.push_back({Modification::Kind::replace, want.name, want.values, current});
  }
  return mods;
}

namespace {

void append_unique(std::vector<std::size_t>& to, const std::vector<std::size_t>& from) {
  for (auto op : from)
    if (std::find(to.begin(), to.end(), op) == to.end()) to.push_back(op);
}

std::vector<Modification> add_modifications(const std::vector<std::string>& object_classes,
                                            const std::vector<DesiredAttribute>& attrs) {
  std::vector<Modification> mods;
  mods.push_back({Modification::Kind::add, "objectClass", object_classes, {}});
  for (const auto& a : attrs)
    if (!a.values.empty()) mods.push_back({Modification::Kind::add, a.name, a.values, {}});
  return mods;
}

// Where a portal row should sit and what it should look like.
struct Placement {
  ObjectKind kind;
  RowId portal_id;
  RowId unit_id;
  std::string subject;
  std::string rdn_type;
  std::string rdn_value;
  int parent;
};

class Planner {
 public:
  Planner(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
          const DirectoryReadResult& directory, const MappingOptions& mapping)
      : portal_(portal),
        links_(links),
        entries_(directory.entries),
        mapping_(mapping),
        tree_(mapping.base_dn, directory.entries, plan_.warnings),
        claimed_(directory.entries.size(), 0) {
    plan_.base_dn = mapping.base_dn;
    if (!directory.base_exists) plan_base();
  }

  Plan run() {
    auto valid = validate_portal(portal_, mapping_);
    plan_.rejected = std::move(valid.rejected);
    for (auto& w : valid.warnings) plan_.warnings.push_back(std::move(w));
    index_children();
    by_anchor_.reserve(entries_.size() * 2);
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (!entries_[i].anchor.empty()) by_anchor_.emplace(entries_[i].anchor, static_cast<int>(i));
    match_units(valid);
    match_accounts(valid);
    for (auto i : valid.units_top_down) plan_unit(i, valid);
    for (auto i : valid.accounts) plan_account(i, valid);
    plan_groups(valid);
    plan_orphan_accounts();
    plan_orphan_units();
    find_stale_links();
    plan_.summary.portal_units = portal_.units.size();
    plan_.summary.portal_accounts = portal_.accounts.size();
    plan_.summary.directory_entries = entries_.size();
    for (std::size_t e = 0; e < entries_.size(); ++e)
      if (is_account_entry(static_cast<int>(e))) ++plan_.summary.directory_accounts;
    return std::move(plan_);
  }

 private:
  const PortalSnapshot& portal_;
  const std::vector<IdentityLink>& links_;
  const std::vector<DirectoryEntry>& entries_;
  const MappingOptions& mapping_;
  Plan plan_;
  DirectoryTree tree_;
  std::vector<char> claimed_;
  std::unordered_map<std::string_view, int> by_anchor_;  // entry anchor -> entry index
  std::unordered_map<RowId, int> unit_entry_;            // unit id -> entry index
  std::unordered_map<RowId, int> account_entry_;         // account id -> entry index
  std::unordered_map<RowId, int> unit_node_;             // unit id -> tree node (after placement)
  std::unordered_map<RowId, int> account_node_;  // account id -> tree node (after placement)
  struct ChildKey {
    int parent;
    std::string lower_value;
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildKeyHash {
    std::size_t operator()(const ChildKey& k) const {
      return std::hash<std::string>()(k.lower_value) * 31 + static_cast<std::size_t>(k.parent);
    }
  };
  std::unordered_map<ChildKey, int, ChildKeyHash> child_at_;  // (parent node, lower value) -> node

  static ChildKey child_key(int parent, std::string_view value) {
    return {parent, to_lower_ascii(value)};
  }

  std::size_t emit(Operation op) {
    plan_.operations.push_back(std::move(op));
    return plan_.operations.size() - 1;
  }

  void plan_base() {
    auto base = parse_dn(mapping_.base_dn);
    if (!base || base->rdns.empty() || !iequals(base->rdns[0].avas[0].type, "ou")) {
      plan_.warnings.push_back("base " + mapping_.base_dn +
                               " does not exist and is not an ou=... entry portalsync can create; "
                               "create it first");
      return;
    }
    const auto& value = base->rdns[0].avas[0].value;
    Operation op;
    op.type = OpType::add;
    op.kind = ObjectKind::org_unit;
    op.subject = value;
    op.dn = mapping_.base_dn;
    op.reason = "the managed subtree does not exist yet";
    op.mods = add_modifications({"top", "organizationalUnit"}, {{"ou", {value}}});
    tree_.set_base_op(emit(std::move(op)));
  }

  void index_children() {
    child_at_.reserve(tree_.size() * 2);
    for (std::size_t i = 0; i < tree_.size(); ++i) {
      const auto& n = tree_.node(static_cast<int>(i));
      child_at_[child_key(n.parent, n.rdn_value)] = static_cast<int>(i);
    }
  }

  bool claim(int entry) {
    if (entry < 0 || claimed_[entry]) return false;
    claimed_[entry] = 1;
    return true;
  }

  bool is_portal_unit_entry(int e) const {
    return entries_[e].has_object_class("organizationalUnit");
  }
  bool is_account_entry(int e) const { return entries_[e].has_object_class("inetOrgPerson"); }

  // Links first, then the unit code kept in the entry. Entries found by code are adoptions.
  void match_units(const ValidatedPortal& valid) {
    const auto& by_anchor = by_anchor_;
    std::unordered_map<RowId, std::string_view> linked;
    for (const auto& l : links_)
      if (l.kind == ObjectKind::org_unit) linked.emplace(l.portal_id, l.anchor);
    std::unordered_map<std::string, int> by_code;
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (const auto* code = entries_[i].find(kUnitCodeAttribute);
          code && !code->empty() && is_portal_unit_entry(static_cast<int>(i)))
        by_code.emplace(code->front(), static_cast<int>(i));
    for (auto i : valid.units_top_down) {
      const auto& u = portal_.units[i];
      if (auto l = linked.find(u.id); l != linked.end())
        if (auto e = by_anchor.find(l->second);
            e != by_anchor.end() && is_portal_unit_entry(e->second) && claim(e->second)) {
          unit_entry_[u.id] = e->second;
          continue;
        }
      if (auto e = by_code.find(u.code); e != by_code.end() && claim(e->second)) {
        unit_entry_[u.id] = e->second;
        plan_.adopted.push_back({ObjectKind::org_unit, u.id, entries_[e->second].anchor});
      }
    }
  }

  void match_accounts(const ValidatedPortal& valid) {
    const auto& by_anchor = by_anchor_;
    std::unordered_map<RowId, std::string_view> linked;
    linked.reserve(links_.size() * 2);
    for (const auto& l : links_)
      if (l.kind == ObjectKind::account) linked.emplace(l.portal_id, l.anchor);
    std::unordered_map<std::string, int> by_uid;
    by_uid.reserve(entries_.size() * 2);
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (is_account_entry(static_cast<int>(i)))
        if (const auto* uid = entries_[i].find("uid"); uid && !uid->empty())
          by_uid.emplace(to_lower_ascii(uid->front()), static_cast<int>(i));
    // Linked accounts first: an entry found by link must not be taken by another row's name.
    std::vector<std::size_t> unlinked;
    for (auto i : valid.accounts) {
      const auto& a = portal_.accounts[i];
      auto l = linked.find(a.id);
      auto e = l == linked.end() ? by_anchor.end() : by_anchor.find(l->second);
      if (e != by_anchor.end() && is_account_entry(e->second) && claim(e->second))
        account_entry_[a.id] = e->second;
      else
        unlinked.push_back(i);
    }
    for (auto i : unlinked) {
      const auto& a = portal_.accounts[i];
      if (auto e = by_uid.find(to_lower_ascii(a.username)); e != by_uid.end() && claim(e->second)) {
        account_entry_[a.id] = e->second;
        plan_.adopted.push_back({ObjectKind::account, a.id, entries_[e->second].anchor});
      }
    }
  }

  // Another node at (parent, value) that would make the server refuse the placement: a node the
  // plan will place elsewhere is first renamed out of the way; any other occupant makes the row
  // fail with a clear reason.
  std::vector<std::size_t> clear_spot(int parent, const std::string& rdn_type,
                                      const std::string& value, int self) {
    auto it = child_at_.find(child_key(parent, value));
    if (it == child_at_.end() || it->second == self) return {};
    int other = it->second;
    auto& n = tree_.node(other);
    if (n.removed || n.parent != parent || !iequals(n.rdn_value, value)) return {};
    if (n.entry < 0 || !claimed_[n.entry]) return {};  // the server will report the clash
    std::string temp_value = n.rdn_value + " ~moving-" + std::to_string(plan_.operations.size());
    Operation op;
    op.type = OpType::rename;
    op.kind = is_account_entry(n.entry) ? ObjectKind::account : ObjectKind::org_unit;
    op.subject = n.rdn_value;
    op.dn = tree_.dn(other);
    op.new_rdn = make_rdn(rdn_type, temp_value);
    op.new_dn = join_dn(op.new_rdn, tree_.dn(parent));
    op.anchor = entries_[n.entry].anchor;
    op.reason = "temporary name: another entry takes this name in the same run";
    op.depends_on = tree_.prerequisites(other);
    auto index = emit(std::move(op));
    std::string rdn = plan_.operations[index].new_rdn;
    tree_.move_node(other, parent, rdn, temp_value, index);
    child_at_[child_key(parent, temp_value)] = other;
    return {index};
  }

  // Adds the node, or moves/renames it to where the portal wants it. Returns the node.
  int place(int node, const Placement& p, std::vector<Modification> add_mods,
            const std::string& reason) {
    std::string rdn = make_rdn(p.rdn_type, p.rdn_value);
    bool at_place = node >= 0 && tree_.node(node).parent == p.parent &&
                    tree_.node(node).rdn_value == p.rdn_value;
    if (at_place) return node;
    auto deps = clear_spot(p.parent, p.rdn_type, p.rdn_value, node);
    append_unique(deps, tree_.prerequisites(p.parent));
    Operation op;
    op.kind = p.kind;
    op.portal_id = p.portal_id;
    op.unit_id = p.unit_id;
    op.subject = p.subject;
    if (node < 0) {
      op.type = OpType::add;
      op.dn = join_dn(rdn, tree_.dn(p.parent));
      op.mods = std::move(add_mods);
      op.reason = reason;
      op.depends_on = std::move(deps);
      auto index = emit(std::move(op));
      node = tree_.add_node(p.parent, rdn, p.rdn_value, index);
    } else {
      const auto& n = tree_.node(node);
      bool moving = n.parent != p.parent;
      op.type = moving ? OpType::move : OpType::rename;
      op.dn = tree_.dn(node);
      op.new_rdn = rdn;
      if (moving) op.new_superior = tree_.dn(p.parent);
      op.new_dn = join_dn(rdn, tree_.dn(p.parent));
      op.anchor = n.entry >= 0 ? entries_[n.entry].anchor : "";
      op.reason = moving ? "moved to " + tree_.dn(p.parent) : "renamed from " + n.rdn_value;
      append_unique(deps, tree_.prerequisites(node));
      op.depends_on = std::move(deps);
      auto index = emit(std::move(op));
      tree_.move_node(node, p.parent, rdn, p.rdn_value, index);
    }
    child_at_[child_key(p.parent, p.rdn_value)] = node;
    return node;
  }

  void emit_modify(int node, const Placement& p, std::vector<Modification> mods, OpType type,
                   std::string reason) {
    if (mods.empty()) return;
    Operation op;
    op.type = type;
    op.kind = p.kind;
    op.portal_id = p.portal_id;
    op.unit_id = p.unit_id;
    op.subject = p.subject;
    op.dn = tree_.dn(node);
    op.anchor = entries_[tree_.node(node).entry].anchor;
    op.mods = std::move(mods);
    op.reason = std::move(reason);
    op.depends_on = tree_.prerequisites(node);
    emit(std::move(op));
  }

  static std::string changed_attributes(const std::vector<Modification>& mods) {
    std::string names;
    for (const auto& m : mods) names += (names.empty() ? "" : ", ") + m.attribute;
    return "changed: " + names;
  }

  int adopt_unit_by_position(int parent, const OrgUnit& u) {
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

  void plan_unit(std::size_t index, const ValidatedPortal& valid) {
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

  void plan_account(std::size_t index, const ValidatedPortal& valid) {
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
  bool plan_bind_state(int node, const Placement& p, const DirectoryEntry& entry, const Account& a,
                       bool may_bind) {
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

  // ---- Entitlement groups (directory.groups_dn) ----

  static constexpr std::size_t kMembersPerOperation = 1000;  // keeps each request small

  bool is_group_entry(int e) const { return entries_[e].has_object_class("groupOfNames"); }

  static constexpr int kNoGroups = -2;

  // The node of groups_dn, creating the OUs on the way; kNoGroups when groups cannot be placed.
  int ensure_groups_ou() {
    auto groups = parse_dn(mapping_.groups_dn);
    auto base = parse_dn(mapping_.base_dn);
    std::string suffix = "," + normalize_dn(mapping_.base_dn);
    auto normalized = normalize_dn(mapping_.groups_dn);
    if (!groups || !base || normalized.size() <= suffix.size() ||
        normalized.compare(normalized.size() - suffix.size(), suffix.size(), suffix) != 0) {
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
      Placement p{ObjectKind::org_unit,     0,         0,     ava.value,
                  to_lower_ascii(ava.type), ava.value, parent};
      parent =
          place(-1, p, add_modifications({"top", "organizationalUnit"}, {{ava.type, {ava.value}}}),
                "the entitlement groups' OU");
    }
    return parent;
  }

  // The desired member DNs of each system, as the entries will be named after this plan.
  std::vector<std::string> desired_members(const std::vector<RowId>& account_ids,
                                           std::vector<std::size_t>& deps) const {
    std::vector<std::string> members;
    for (auto id : account_ids) {
      auto node = account_node_.find(id);
      if (node == account_node_.end()) continue;
      members.push_back(tree_.dn(node->second));
      append_unique(deps, tree_.prerequisites(node->second));
    }
    std::sort(members.begin(), members.end());
    return members;
  }

  // Splits actual against desired member values: exact strings first, then DNs compared in
  // normalized form (the server may spell a DN differently from us).
  static void split_members(const std::vector<std::string>& have, std::vector<std::string> want,
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
  void emit_member_changes(int node, const Placement& p, const std::vector<std::string>& to_add,
                           const std::vector<std::string>& to_remove,
                           const std::vector<std::size_t>& member_deps) {
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
      op.anchor = tree_.node(node).entry >= 0 ? entries_[tree_.node(node).entry].anchor : "";
      op.mods = std::move(pending);
      op.reason = "membership";
      op.depends_on = tree_.prerequisites(node);
      append_unique(op.depends_on, member_deps);
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

  void plan_groups(const ValidatedPortal& valid) {
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
    std::unordered_set<std::string> names;
    for (const auto& sys : portal_.systems) {
      if (sys.group_name.empty() || !is_valid_utf8(sys.group_name) ||
          !names.insert(to_lower_ascii(sys.group_name)).second) {
        plan_.rejected.push_back({ObjectKind::group, sys.id, sys.group_name,
                                  "system " + std::to_string(sys.id) + " (" + sys.code +
                                      "): group_name is empty, not valid UTF-8 or used twice"});
        continue;
      }
      plan_group(sys, groups, linked, by_cn, entitled[sys.id]);
    }
    for (std::size_t n = 0; n < tree_.size(); ++n) {
      const auto& node = tree_.node(static_cast<int>(n));
      if (node.parent == groups && node.entry >= 0 && is_group_entry(node.entry) &&
          !claimed_[node.entry] && !node.removed)
        emit_delete(static_cast<int>(n), ObjectKind::group,
                    "no portal system has this group any more");
    }
  }

  std::vector<std::size_t> enabled_members(const ValidatedPortal& valid) const {
    std::vector<std::size_t> out;
    for (auto i : valid.accounts)
      if (!mapping_.disabled_leave_groups || portal_.accounts[i].status == "enabled")
        out.push_back(i);
    return out;
  }

  void plan_group(const System& sys, int groups,
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
        plan_.adopted.push_back({ObjectKind::group, sys.id, entries_[entry].anchor});
      }
    if (entry >= 0 && !claim(entry)) entry = -1;
    std::vector<std::size_t> member_deps;
    auto members = desired_members(ids, member_deps);
    if (members.empty()) members.push_back(mapping_.groups_dn);  // groupOfNames needs a member
    Placement p{ObjectKind::group, sys.id, 0, sys.group_name, "cn", sys.group_name, groups};
    auto attrs = group_attributes(sys);
    if (entry < 0) {
      std::vector<std::string> first(
          members.begin(), members.begin() + std::min(members.size(), kMembersPerOperation));
      attrs.push_back({std::string(kMemberAttribute), first});
      int node = place(-1, p, add_modifications(group_object_classes(mapping_), attrs),
                       "new entitlement group");
      append_unique(plan_.operations.back().depends_on, member_deps);
      std::vector<std::string> rest(members.begin() + static_cast<long>(first.size()),
                                    members.end());
      emit_member_changes(node, p, rest, {}, member_deps);
      return;
    }
    int node = tree_.node_of_entry(static_cast<std::size_t>(entry));
    bool renamed = tree_.node(node).rdn_value != sys.group_name;
    node = place(node, p, {}, "");
    const auto& e = entries_[entry];
    auto mods = diff_attributes(&e, attrs, renamed ? "cn" : "");
    auto reason = changed_attributes(mods);
    emit_modify(node, p, std::move(mods), OpType::modify, reason);
    static const std::vector<std::string> kNone;
    const auto* have = e.find(kMemberAttribute);
    std::vector<std::string> to_add, to_remove;
    split_members(have ? *have : kNone, members, to_add, to_remove);
    emit_member_changes(node, p, to_add, to_remove, member_deps);
    if (to_add.empty() && to_remove.empty() && tree_.node(node).last_op == kNoOp &&
        reason == "changed: ")
      ++plan_.summary.unchanged;
  }

  void emit_delete(int node, ObjectKind kind, std::string reason) {
    auto& n = tree_.node(node);
    Operation op;
    op.type = OpType::remove;
    op.kind = kind;
    op.subject = n.rdn_value;
    op.dn = tree_.dn(node);
    op.anchor = entries_[n.entry].anchor;
    op.reason = std::move(reason);
    op.depends_on = tree_.prerequisites(node);
    append_unique(op.depends_on, n.departures);
    for (const auto& m : entries_[n.entry].attributes)
      if (!iequals(m.name, "objectclass"))
        op.mods.push_back({Modification::Kind::remove, m.name, {}, m.values});
    tree_.remove_node(node, emit(std::move(op)));
  }

  void find_stale_links() {
    std::unordered_set<RowId> units, accounts, systems;
    for (const auto& sys : portal_.systems) systems.insert(sys.id);
    for (const auto& u : portal_.units) units.insert(u.id);
    for (const auto& a : portal_.accounts) accounts.insert(a.id);
    for (const auto& l : links_) {
      bool gone = (l.kind == ObjectKind::org_unit && !units.count(l.portal_id)) ||
                  (l.kind == ObjectKind::account && !accounts.count(l.portal_id)) ||
                  (l.kind == ObjectKind::group && !systems.count(l.portal_id));
      if (gone) plan_.stale_links.push_back(l);
    }
  }

  void plan_orphan_accounts() {
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      if (claimed_[e] || !is_account_entry(static_cast<int>(e))) continue;
      int node = tree_.node_of_entry(e);
      if (node < 0) continue;
      emit_delete(node, ObjectKind::account, "no portal account has this entry any more");
    }
  }

  // Units of ours (an OU carrying a unit code) that no portal unit claims, deepest first so that
  // a retired subtree goes children-first. An OU that still holds entries we do not manage stays.
  void plan_orphan_units() {
    std::vector<std::pair<std::size_t, int>> candidates;  // (depth, node)
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      if (claimed_[e] || !is_portal_unit_entry(static_cast<int>(e))) continue;
      const auto* code = entries_[e].find(kUnitCodeAttribute);
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
                                 std::to_string(n.children) +
                                 " entries portalsync does not manage");
        continue;
      }
      emit_delete(node, ObjectKind::org_unit, "the unit is retired or gone from the portal");
    }
  }
};

}  // namespace

Plan plan_sync(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
               const DirectoryReadResult& directory, const MappingOptions& mapping) {
  return Planner(portal, links, directory, mapping).run();
}

}  // namespace ps
