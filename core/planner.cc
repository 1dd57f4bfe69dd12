#include "core/planner.h"

#include "core/planner_internal.h"

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

namespace {

// Values of DN syntax match as a set of normalized DNs: the server returns them escaped its own
// way, so a raw comparison would rewrite them on every run.
bool same_dns(const AttributeValues& have, const std::vector<std::string>& want) {
  if (have.size() != want.size()) return false;
  std::vector<std::string> a, b;
  for (auto v : have) a.push_back(normalize_dn(v));
  for (const auto& v : want) b.push_back(normalize_dn(v));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

bool same_values(const AttributeValues& have, const DesiredAttribute& want) {
  if (have == want.values) return true;
  return is_dn_syntax_attribute(want.name) && same_dns(have, want.values);
}

}  // namespace

std::vector<Modification> diff_attributes(const DirectoryEntry* actual,
                                          const std::vector<DesiredAttribute>& desired,
                                          std::string_view skip) {
  std::vector<Modification> mods;
  for (const auto& want : desired) {
    if (!skip.empty() && iequals(want.name, skip)) continue;
    auto have = actual ? actual->find(want.name) : std::nullopt;
    if (have ? same_values(*have, want) : want.values.empty()) continue;
    auto current = have ? have->strings() : std::vector<std::string>{};
    if (want.values.empty())
      mods.push_back({Modification::Kind::remove, want.name, {}, std::move(current)});
    else
      mods.push_back({Modification::Kind::replace, want.name, want.values, std::move(current)});
  }
  return mods;
}

namespace planner_detail {

void append_unique(std::vector<std::size_t>& to, const std::vector<std::size_t>& from) {
  for (auto op : from)
    if (std::find(to.begin(), to.end(), op) == to.end()) to.push_back(op);
}

EntryAttributes new_entry_attributes(const std::vector<std::string>& object_classes,
                                     const std::vector<DesiredAttribute>& attrs) {
  EntryAttributes::Builder b;
  b.begin_attribute("objectClass");
  for (const auto& c : object_classes) b.add_value(c);
  for (const auto& a : attrs) {
    if (a.values.empty()) continue;
    b.begin_attribute(a.name);
    for (const auto& v : a.values) b.add_value(v);
  }
  return b.build();
}

Planner::Planner(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
                 const DirectoryReadResult& directory, const MappingOptions& mapping,
                 const PlanScope* scope)
    : portal_(portal),
      links_(links),
      entries_(directory.entries),
      mapping_(mapping),
      scope_(scope),
      tree_(mapping.base_dn, directory.entries, plan_.warnings),
      claimed_(directory.entries.size(), 0) {
  plan_.base_dn = mapping.base_dn;
  plan_.scoped = scope != nullptr;
  if (!directory.base_exists) plan_base();
}

Plan Planner::run(ValidatedPortal valid, const std::vector<FrozenEntry>& hold) {
  for (auto& w : valid.warnings) plan_.warnings.push_back(std::move(w));
  index_children();
  by_anchor_.reserve(entries_.size() * 2);
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].anchor().empty())
      by_anchor_.emplace(entries_[i].anchor(), static_cast<int>(i));
  if (scope_) check_scoped_read();
  index_posix();
  freeze(valid, hold);
  plan_.rejected = std::move(valid.rejected);
  match_units(valid);
  match_accounts(valid);
  reserve_for_adds(valid);
  for (auto i : valid.units_top_down) plan_unit(i, valid);
  for (auto i : valid.accounts)
    if (in_scope(ObjectKind::account, portal_.accounts[i].id)) plan_account(i, valid);
  for (auto i : valid.shared_accounts)
    if (in_scope(ObjectKind::shared_account, portal_.shared_accounts[i].id))
      plan_shared_account(i, valid);
  plan_groups(valid);
  plan_orphan_accounts();
  if (!scope_) plan_orphan_units();
  find_stale_links();
  plan_.summary.portal_units = portal_.units.size();
  plan_.summary.portal_accounts = portal_.accounts.size();
  plan_.summary.directory_entries = entries_.size();
  if (scope_) plan_.summary.directory_accounts = linked_accounts();
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    int i = static_cast<int>(e);
    if (!scope_ && is_account_entry(i)) ++plan_.summary.directory_accounts;
    if (is_portal_unit_entry(i) && entries_[e].find(kUnitCodeAttribute))
      ++plan_.summary.directory_units;
    if (is_group_entry(i)) ++plan_.summary.directory_groups;
  }
  return std::move(plan_);
}

// A scoped plan must not conclude anything from an entry it cannot place, nor hand a row's
// entry to another row by name (the row that owns it is outside the scope, so nothing would
// claim it first): either needs the full plan. A partial snapshot cannot tell an account that
// is gone from one it did not load, so there every link outside the scope owns its entry.
void Planner::check_scoped_read() {
  std::unordered_set<std::string_view> owned_elsewhere;
  std::unordered_set<RowId> accounts, shared;
  for (const auto& a : portal_.accounts) accounts.insert(a.id);
  for (const auto& s : portal_.shared_accounts) shared.insert(s.id);
  for (const auto& l : links_)
    if ((l.kind == ObjectKind::account && (portal_.partial || accounts.count(l.portal_id))) ||
        (l.kind == ObjectKind::shared_account && shared.count(l.portal_id)))
      if (!in_scope(l.kind, l.portal_id) && by_anchor_.count(l.anchor))
        owned_elsewhere.insert(l.anchor);
  for (std::size_t e = 0; e < entries_.size() && plan_.needs_full.empty(); ++e) {
    if (tree_.node_of_entry(e) < 0)
      plan_.needs_full = "entry " + std::string(entries_[e].dn()) +
                         " is not below a unit the scoped read returned";
    else if (!entries_[e].anchor().empty() && owned_elsewhere.count(entries_[e].anchor()))
      plan_.needs_full =
          "entry " + std::string(entries_[e].dn()) + " belongs to a portal row outside the scope";
  }
}

std::size_t Planner::linked_accounts() const {
  if (scope_->linked_accounts) return *scope_->linked_accounts;
  return static_cast<std::size_t>(std::count_if(links_.begin(), links_.end(), [](const auto& l) {
    return l.kind == ObjectKind::account || l.kind == ObjectKind::shared_account;
  }));
}

void Planner::plan_base() {
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
  op.added = new_entry_attributes({"top", "organizationalUnit"}, {{"ou", {value}}});
  tree_.set_base_op(emit(std::move(op)));
}

void Planner::index_children() {
  child_at_.reserve(tree_.size() * 2);
  for (std::size_t i = 0; i < tree_.size(); ++i) {
    const auto& n = tree_.node(static_cast<int>(i));
    child_at_[child_key(n.parent, n.rdn_value)] = static_cast<int>(i);
  }
}

// Links first, then the unit code kept in the entry. Entries found by code are adoptions.
void Planner::match_units(const ValidatedPortal& valid) {
  const auto& by_anchor = by_anchor_;
  std::unordered_map<RowId, std::string_view> linked;
  for (const auto& l : links_)
    if (l.kind == ObjectKind::org_unit) linked.emplace(l.portal_id, l.anchor);
  std::unordered_map<std::string, int> by_code;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (auto code = entries_[i].find(kUnitCodeAttribute);
        code && !code->empty() && is_portal_unit_entry(static_cast<int>(i)))
      by_code.emplace(std::string(code->front()), static_cast<int>(i));
  for (auto i : valid.units_top_down) {
    const auto& u = portal_.units[i];
    if (auto l = linked.find(u.id); l != linked.end())
      if (auto e = by_anchor.find(l->second); e != by_anchor.end() &&
                                              is_portal_unit_entry(e->second) &&
                                              take(e->second, ObjectKind::org_unit, u.id)) {
        unit_entry_[u.id] = e->second;
        continue;
      }
    if (row_frozen(ObjectKind::org_unit, u.id)) continue;
    if (auto e = by_code.find(u.code);
        e != by_code.end() && take(e->second, ObjectKind::org_unit, u.id)) {
      unit_entry_[u.id] = e->second;
      plan_.adopted.push_back(
          {ObjectKind::org_unit, u.id, std::string(entries_[e->second].anchor())});
    }
  }
}

std::unordered_map<std::string, int> Planner::accounts_by_username() const {
  std::unordered_map<std::string, int> by_username;
  by_username.reserve(entries_.size() * 2);
  auto key = account_key_attribute(mapping_);
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (is_account_entry(static_cast<int>(i)))
      if (auto name = entries_[i].find(key); name && !name->empty())
        by_username.emplace(to_lower_ascii(name->front()), static_cast<int>(i));
  return by_username;
}

namespace {

// The anchors of one kind's links, sorted by portal id: for the 100,000 account links a sorted
// vector takes a third of a hash map's memory, and it lives while the run's peak is reached.
class LinkedAnchors {
 public:
  LinkedAnchors(const std::vector<IdentityLink>& links, ObjectKind kind) {
    for (const auto& l : links)
      if (l.kind == kind) by_id_.emplace_back(l.portal_id, l.anchor);
    std::sort(by_id_.begin(), by_id_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  // The anchor linked to `id`, or "" when there is none.
  std::string_view find(RowId id) const {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                               [](const auto& entry, RowId key) { return entry.first < key; });
    return it != by_id_.end() && it->first == id ? it->second : std::string_view();
  }

 private:
  std::vector<std::pair<RowId, std::string_view>> by_id_;
};

}  // namespace

void Planner::match_accounts(const ValidatedPortal& valid) {
  const auto& by_anchor = by_anchor_;
  LinkedAnchors linked(links_, ObjectKind::account);
  UsernameIndex by_username(*this);
  // Linked accounts first: an entry found by link must not be taken by another row's name.
  std::vector<std::size_t> unlinked;
  for (auto i : valid.accounts) {
    const auto& a = portal_.accounts[i];
    if (!in_scope(ObjectKind::account, a.id)) continue;
    auto anchor = linked.find(a.id);
    auto e = anchor.empty() ? by_anchor.end() : by_anchor.find(anchor);
    if (e != by_anchor.end() && is_account_entry(e->second) &&
        take(e->second, ObjectKind::account, a.id))
      account_entry_.set(a.id, e->second);
    else if (!row_frozen(ObjectKind::account, a.id))
      unlinked.push_back(i);
  }
  match_shared_accounts(valid, by_username);
  for (auto i : unlinked) {
    const auto& a = portal_.accounts[i];
    const auto& names = by_username.get();
    if (auto e = names.find(to_lower_ascii(a.username()));
        e != names.end() && take(e->second, ObjectKind::account, a.id)) {
      account_entry_.set(a.id, e->second);
      plan_.adopted.push_back(
          {ObjectKind::account, a.id, std::string(entries_[e->second].anchor())});
    }
  }
}

void Planner::reserve_for_adds(const ValidatedPortal& valid) {
  std::size_t adds = portal_.systems.size();
  for (auto i : valid.units_top_down) adds += unit_entry_.count(portal_.units[i].id) ? 0 : 1;
  for (auto i : valid.accounts)
    if (auto id = portal_.accounts[i].id; in_scope(ObjectKind::account, id))
      adds += account_entry_.contains(id) ? 0 : 1;
  for (auto i : valid.shared_accounts)
    if (auto id = portal_.shared_accounts[i].id; in_scope(ObjectKind::shared_account, id))
      adds += shared_entry_.count(id) ? 0 : 1;
  // AD adds a user disabled and enables it in a second operation; group member lists and the
  // groups' OUs add a few more: beyond the estimate the vector simply grows.
  std::size_t ops = adds * (mapping_.flavor == Flavor::ad ? 2 : 1) + adds / 100 + 64;
  plan_.operations.reserve(plan_.operations.size() + ops);
}

AccountPlace Planner::place_of(RowId unit_id, const ValidatedPortal& valid) const {
  // The account's agency (core/agency.h): its nearest marked ancestor-or-self, else the top.
  const auto& unit = portal_.units[valid.unit_by_id.at(unit_id)];
  const OrgUnit* agency = &unit;
  while (!agency->is_agency && agency->parent_id)
    agency = &portal_.units[valid.unit_by_id.at(*agency->parent_id)];
  return {unit, *agency, valid.agencies_marked};
}

// Another node at (parent, value) that would make the server refuse the placement: a node the
// plan will place elsewhere is first renamed out of the way; any other occupant makes the row
// fail with a clear reason.
std::vector<std::size_t> Planner::clear_spot(int parent, const std::string& rdn_type,
                                             const std::string& value, int self) {
  auto it = child_at_.find(child_key(parent, value));
  if (it == child_at_.end() || it->second == self) return {};
  int other = it->second;
  auto& n = tree_.node(other);
  if (n.removed || n.parent != parent || !iequals(n.rdn_value, value)) return {};
  // Unplanned or frozen: the server will report the clash.
  if (n.entry < 0 || !claimed_[n.entry] || is_frozen(n.entry)) return {};
  std::string temp_value = n.rdn_value + " ~moving-" + std::to_string(plan_.operations.size());
  Operation op;
  op.type = OpType::rename;
  op.kind = is_account_entry(n.entry) ? ObjectKind::account : ObjectKind::org_unit;
  op.subject = n.rdn_value;
  op.dn = tree_.dn(other);
  auto temp_rdn = make_rdn(rdn_type, temp_value);
  op.set_target({temp_rdn, "", join_dn(temp_rdn, tree_.dn(parent))});
  op.anchor = entries_[n.entry].anchor();
  op.reason = "temporary name: another entry takes this name in the same run";
  op.depends_on = tree_.prerequisites(other);
  auto index = emit(std::move(op));
  tree_.move_node(other, parent, std::move(temp_rdn), temp_value, index);
  child_at_[child_key(parent, temp_value)] = other;
  return {index};
}

// Adds the node, or moves/renames it to where the portal wants it. Returns the node.
int Planner::place(int node, const Placement& p, EntryAttributes add_attributes,
                   const std::string& reason) {
  std::string rdn = make_rdn(p.rdn_type, p.rdn_value);
  bool at_place =
      node >= 0 && tree_.node(node).parent == p.parent && tree_.node(node).rdn_value == p.rdn_value;
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
    op.added = std::move(add_attributes);
    op.reason = reason;
    op.depends_on = std::move(deps);
    auto index = emit(std::move(op));
    node = tree_.add_node(p.parent, rdn, p.rdn_value, index);
  } else {
    const auto& n = tree_.node(node);
    bool moving = n.parent != p.parent;
    op.type = moving ? OpType::move : OpType::rename;
    op.dn = tree_.dn(node);
    auto from = moving ? former_unit(n.parent) : 0;
    op.set_target({rdn, moving ? tree_.dn(p.parent) : "", join_dn(rdn, tree_.dn(p.parent)),
                   from != p.unit_id ? from : 0});
    op.anchor = n.entry >= 0 ? entries_[n.entry].anchor() : "";
    op.reason = moving ? "moved to " + tree_.dn(p.parent) : "renamed from " + n.rdn_value;
    append_unique(deps, tree_.prerequisites(node));
    op.depends_on = std::move(deps);
    auto index = emit(std::move(op));
    tree_.move_node(node, p.parent, rdn, p.rdn_value, index);
  }
  child_at_[child_key(p.parent, p.rdn_value)] = node;
  return node;
}

void Planner::emit_modify(int node, const Placement& p, std::vector<Modification> mods, OpType type,
                          std::string reason) {
  if (mods.empty()) return;
  Operation op;
  op.type = type;
  op.kind = p.kind;
  op.portal_id = p.portal_id;
  op.unit_id = p.unit_id;
  op.subject = p.subject;
  op.dn = tree_.dn(node);
  if (int e = tree_.node(node).entry; e >= 0) op.anchor = entries_[e].anchor();
  op.mods = std::move(mods);
  op.reason = std::move(reason);
  op.depends_on = tree_.prerequisites(node);
  emit(std::move(op));
}

}  // namespace planner_detail

Plan plan_sync(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
               const DirectoryReadResult& directory, const MappingOptions& mapping) {
  return plan_sync(portal, links, directory, mapping, validate_portal(portal, mapping));
}

Plan plan_sync(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
               const DirectoryReadResult& directory, const MappingOptions& mapping,
               ValidatedPortal valid, const std::vector<FrozenEntry>& hold) {
  return planner_detail::Planner(portal, links, directory, mapping).run(std::move(valid), hold);
}

Plan plan_scoped(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
                 const DirectoryReadResult& directory, const MappingOptions& mapping,
                 const PlanScope& scope, const std::vector<FrozenEntry>& hold) {
  return planner_detail::Planner(portal, links, directory, mapping, &scope)
      .run(validate_portal(portal, mapping), hold);
}

}  // namespace ps
