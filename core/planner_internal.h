// The planner's working state, shared by its parts: planner.cc (matching, placement, the run),
// planner_entries.cc (units and accounts), planner_groups.cc (entitlement groups) and
// planner_removals.cc (what the portal no longer has). Internal to core/; the entry point is
// plan_sync in planner.h.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/agency_groups.h"
#include "core/directory_tree.h"
#include "core/dn.h"
#include "core/entitlements.h"
#include "core/planner.h"
#include "core/portal_validation.h"
#include "core/row_index.h"
#include "core/text.h"

namespace ps::planner_detail {

void append_unique(std::vector<std::size_t>& to, const std::vector<std::size_t>& from);
// The attributes of a new entry (those with values), as Operation::added holds them.
EntryAttributes new_entry_attributes(const std::vector<std::string>& object_classes,
                                     const std::vector<DesiredAttribute>& attrs);

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
  // scope: nullptr for a full plan.
  Planner(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
          const DirectoryReadResult& directory, const MappingOptions& mapping,
          const PlanScope* scope = nullptr);

  Plan run(ValidatedPortal valid, const std::vector<FrozenEntry>& hold = {});

 private:
  const PortalSnapshot& portal_;
  const std::vector<IdentityLink>& links_;
  const std::vector<DirectoryEntry>& entries_;
  const MappingOptions& mapping_;
  const PlanScope* scope_;
  Plan plan_;
  DirectoryTree tree_;
  std::vector<char> claimed_;
  std::unordered_map<std::string_view, int> by_anchor_;  // entry anchor -> entry index
  std::unordered_map<RowId, int> unit_entry_;            // unit id -> entry index
  RowIndex account_entry_;                               // account id -> entry index
  std::unordered_map<RowId, int> unit_node_;             // unit id -> tree node (after placement)
  RowIndex account_node_;  // account id -> tree node (after placement)
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

  void plan_base();

  bool in_scope(ObjectKind kind, RowId id) const {
    if (!scope_) return true;
    if (kind == ObjectKind::account) return scope_->accounts.count(id) > 0;
    if (kind == ObjectKind::shared_account) return scope_->shared_accounts.count(id) > 0;
    return false;  // units and groups are planned in full, never removed by a scoped plan
  }
  // Scoped plans: every entry read must sit in the tree the read returned.
  void check_scoped_read();
  // Scoped plans: the number of accounts in the directory, as far as the links know (the guard's
  // denominator, which a selective read cannot count).
  std::size_t linked_accounts() const;

  void index_children();

  bool claim(int entry) {
    if (entry < 0 || claimed_[entry]) return false;
    claimed_[entry] = 1;
    return true;
  }

  // ---- Frozen entries (planner_freeze.cc) ----

  std::vector<char> frozen_;  // per entry: left exactly as it is (claimed too)
  std::array<std::unordered_set<RowId>, 4> frozen_rows_;  // by ObjectKind: rows not planned
  std::unordered_map<RowId, int> frozen_account_entry_;   // frozen account row -> its entry

  // Freezes the entries of rejected rows (and below a rejected unit, the whole subtree) and those
  // the guard holds, before any row is matched, so no other row can take or move them.
  void freeze(const ValidatedPortal& valid, const std::vector<FrozenEntry>& hold);
  struct RejectedIndex;
  int entry_of_rejection(const Rejection& r, const ValidatedPortal& valid,
                         const RejectedIndex& index) const;
  // Freezes entry `e` and, for an OU, every entry below it; reports it once.
  void freeze_entry(int e, const std::string& reason);
  bool is_frozen(int e) const { return e >= 0 && frozen_[e]; }
  bool row_frozen(ObjectKind kind, RowId id) const {
    return frozen_rows_[static_cast<int>(kind)].count(id) > 0;
  }
  // The row is left alone, with its entry (-1: none) and everything planned from it.
  void freeze_row(ObjectKind kind, RowId id, int entry, const std::string& reason);
  // Claims entry `e` for the row, unless it is frozen: then the row is frozen with it.
  bool take(int e, ObjectKind kind, RowId id);
  // The DNs (after this plan) of the frozen accounts among a group's member values: they stay.
  std::vector<std::string> frozen_members(const std::vector<std::string>& have) const;
  void index_frozen_users();  // once every row is planned, before the groups
  std::unordered_map<std::string, int> frozen_users_;  // normalized DN as read -> node
  // The DN a frozen account's entry has after this plan, or "" when it is not frozen.
  std::string frozen_account_dn(RowId id) const;

  bool is_portal_unit_entry(int e) const {
    return entries_[e].has_object_class("organizationalUnit");
  }
  // A user entry (AD computers are users too, and never ours).
  bool is_account_entry(int e) const {
    return entries_[e].has_object_class(account_object_class(mapping_)) &&
           !entries_[e].has_object_class("computer");
  }

  // Links first, then the unit code kept in the entry. Entries found by code are adoptions.
  void match_units(const ValidatedPortal& valid);

  void match_accounts(const ValidatedPortal& valid);

  // Room for the adds the matching left to do (nearly every row on a first sync), so the
  // operations and the tree do not regrow by doubling, with both copies alive for a moment.
  void reserve_for_adds(const ValidatedPortal& valid);

  // Existing user entries by lower-case username (uid / sAMAccountName), for adoption.
  std::unordered_map<std::string, int> accounts_by_username() const;
  // The same, built on first use: once every row is linked (every run after the first), matching
  // never asks, and 100,000 lower-cased names are neither made nor hashed.
  class UsernameIndex {
   public:
    explicit UsernameIndex(const Planner& planner) : planner_(planner) {}
    const std::unordered_map<std::string, int>& get() {
      if (!index_) index_ = planner_.accounts_by_username();
      return *index_;
    }

   private:
    const Planner& planner_;
    std::optional<std::unordered_map<std::string, int>> index_;
  };

  // The unit and the top of its tree, as the mapping wants them.
  AccountPlace place_of(RowId unit_id, const ValidatedPortal& valid) const;

  // Another node at (parent, value) that would make the server refuse the placement: a node the
  // plan will place elsewhere is first renamed out of the way; any other occupant makes the row
  // fail with a clear reason.
  std::vector<std::size_t> clear_spot(int parent, const std::string& rdn_type,
                                      const std::string& value, int self);

  // Adds the node, or moves/renames it to where the portal wants it. Returns the node.
  int place(int node, const Placement& p, EntryAttributes add_attributes,
            const std::string& reason);

  void emit_modify(int node, const Placement& p, std::vector<Modification> mods, OpType type,
                   std::string reason);

  static std::string changed_attributes(const std::vector<Modification>& mods);

  int adopt_unit_by_position(int parent, const OrgUnit& u);

  void plan_unit(std::size_t index, const ValidatedPortal& valid);

  void plan_account(std::size_t index, const ValidatedPortal& valid);

  // How a user entry (a person's account or a shared one) should be bound.
  struct UserState {
    bool may_bind;
    std::string why;         // the reason given on enable/disable
    std::string add_reason;  // the reason given when the entry is added
  };

  // Adds the user entry (node < 0) or moves, renames and updates it; extra_deps are operations its
  // add/modify must wait for (a custodian's entry named in manager). Returns the node.
  int plan_user(int node, const Placement& p, std::vector<DesiredAttribute> attrs,
                const UserState& state, const std::vector<std::size_t>& extra_deps);

  // Makes the entry's bind state match the portal (entry nullptr: a node this plan adds).
  // Returns whether an operation was emitted.
  bool plan_bind_state(int node, const Placement& p, const DirectoryEntry* entry, bool may_bind,
                       const std::string& why);
  bool plan_ppolicy_lock(int node, const Placement& p, const DirectoryEntry* entry, bool may_bind,
                         const std::string& why);
  bool plan_account_control(int node, const Placement& p, const DirectoryEntry* entry,
                            bool may_bind, const std::string& why);

  // ---- Shared agency/mail accounts (planner_shared.cc) ----

  std::unordered_map<RowId, int> shared_entry_;  // shared account id -> entry index

  void match_shared_accounts(const ValidatedPortal& valid, UsernameIndex& by_username);
  void plan_shared_account(std::size_t index, const ValidatedPortal& valid);

  // ---- POSIX identities (planner_posix.cc, directory.posix) ----

  std::array<std::unordered_map<RowId, std::int64_t>, 4> posix_number_;  // by ObjectKind
  std::unordered_map<std::int64_t, int> uid_holder_;  // uidNumber in the directory -> entry
  std::unordered_map<std::int64_t, int> gid_holder_;  // a group's gidNumber -> entry

  void index_posix();
  // Appends the row's POSIX attributes to `attrs`. false when the row cannot have them: it has
  // no number (the range is used up), another entry holds its number, or its entry (`entry`, -1:
  // none yet) carries another one (changed by hand). The row is then rejected and its entry left
  // as it is: no number is ever given away or taken back silently.
  bool add_posix_attributes(ObjectKind kind, RowId id, std::string_view subject, int entry,
                            std::vector<DesiredAttribute>& attrs);
  std::string posix_problem(ObjectKind kind, RowId id, int entry) const;
  // Adds `object_class` first in `mods` when the entry lacks it (an entry from before
  // directory.posix was set): the class and its attributes go in one modify.
  void add_missing_class(const DirectoryEntry& entry, std::string_view object_class,
                         std::vector<Modification>& mods) const;

  // ---- Entitlement groups (directory.groups_dn) ----

  static constexpr std::size_t kMembersPerOperation = 1000;  // keeps each request small

  bool is_group_entry(int e) const {
    return entries_[e].has_object_class(group_object_class(mapping_));
  }

  static constexpr int kNoGroups = -2;

  // The node of groups_dn, creating the OUs on the way; kNoGroups when groups cannot be placed.
  int ensure_groups_ou();

  // The operations a member value must wait for (its entry's add, move or rename), by the DN the
  // value has after them. Kept per value: a modify adding 1,000 members waits for those 1,000,
  // not for every operation of a 100,000-member group.
  using MemberDeps = std::unordered_map<std::string, std::vector<std::size_t>>;

  // The desired member DNs of each system, as the entries will be named after this plan.
  std::vector<std::string> desired_members(const std::vector<RowId>& account_ids,
                                           MemberDeps& deps) const;
  // What the operation carrying `values` waits for.
  static void add_member_deps(std::vector<std::size_t>& to, const std::vector<std::string>& values,
                              const MemberDeps& deps);

  // Splits actual against desired member values: exact strings first, then DNs compared in
  // normalized form (the server may spell a DN differently from us).
  static void split_members(const std::vector<std::string>& have, std::vector<std::string> want,
                            std::vector<std::string>& to_add, std::vector<std::string>& to_remove);

  // Member changes as modify operations of at most kMembersPerOperation values, sent one after
  // another (a groupOfNames must never be left without a member between two of them).
  void emit_member_changes(int node, const Placement& p, const std::vector<std::string>& to_add,
                           const std::vector<std::string>& to_remove, const MemberDeps& deps);

  void plan_groups(const ValidatedPortal& valid);

  void split_scoped_members(const DirectoryEntry& group, const std::string& own_dn,
                            std::vector<std::string> current, const std::vector<std::string>& want,
                            std::vector<std::string>& to_add, std::vector<std::string>& to_remove);
  std::unordered_set<std::string> scope_member_dns_;  // the users read: normalized DNs, as read
                                                      // and after this plan's moves

  // AD keeps member values pointing at their entry when it moves (member is a linked attribute),
  // so after this plan's moves a member read under its old DN reads under its new one: returns
  // `have` that way, adding the moves to `deps`. Other flavors: `have` unchanged.
  std::vector<std::string> members_after_moves(const std::vector<std::string>& have,
                                               MemberDeps& deps);
  std::unordered_map<std::string, int> account_entry_by_dn_;  // normalized DN -> entry (AD)

  std::vector<std::size_t> enabled_members(const ValidatedPortal& valid) const;

  void plan_group(const System& sys, int groups,
                  const std::unordered_map<RowId, std::string_view>& linked,
                  const std::unordered_map<std::string, int>& by_cn, const std::vector<RowId>& ids);

  // directory.agency_groups (planner_agency_groups.cc); adds the groups' names to `names`.
  void plan_agency_groups(const ValidatedPortal& valid, int groups,
                          const std::unordered_map<RowId, std::string_view>& linked,
                          const std::unordered_map<std::string, int>& by_cn,
                          std::unordered_set<std::string>& names);

  void plan_primary_group(int groups, const std::unordered_map<std::string, int>& by_cn,
                          const std::unordered_set<std::string>& system_groups);

  void freeze_rejected_group(const System& sys,
                             const std::unordered_map<RowId, std::string_view>& linked,
                             const std::unordered_map<std::string, int>& by_cn,
                             const std::string& reason);

  void emit_delete(int node, ObjectKind kind, std::string reason);
  // What the links say about an entry gone from the portal: the row id it had, and the unit of
  // its nearest linked OU above (0 when unknown). Indexed on the first removal only.
  RowId former_id(std::string_view anchor);
  RowId former_unit(int node);
  std::unordered_map<std::string_view, RowId> former_ids_;  // anchor -> linked portal id

  void find_stale_links();

  void plan_orphan_accounts();

  // Units of ours (an OU carrying a unit code) that no portal unit claims, deepest first so that
  // a retired subtree goes children-first. An OU that still holds entries we do not manage stays.
  void plan_orphan_units();
};

}  // namespace ps::planner_detail
