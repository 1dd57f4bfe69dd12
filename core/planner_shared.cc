// Planning shared agency/mail accounts: users like any other, marked by employeeType, with the
// custodian's DN in manager so other systems can see who answers for the account.
#include "core/planner_internal.h"

namespace ps::planner_detail {

void Planner::match_shared_accounts(const ValidatedPortal& valid, UsernameIndex& by_username) {
  std::unordered_map<RowId, std::string_view> linked;
  for (const auto& l : links_)
    if (l.kind == ObjectKind::shared_account) linked.emplace(l.portal_id, l.anchor);
  for (auto i : valid.shared_accounts) {
    const auto& s = portal_.shared_accounts[i];
    if (!in_scope(ObjectKind::shared_account, s.id)) continue;
    if (auto l = linked.find(s.id); l != linked.end())
      if (auto e = by_anchor_.find(l->second); e != by_anchor_.end() &&
                                               is_account_entry(e->second) &&
                                               take(e->second, ObjectKind::shared_account, s.id)) {
        shared_entry_[s.id] = e->second;
        continue;
      }
    if (row_frozen(ObjectKind::shared_account, s.id)) continue;
    const auto& names = by_username.get();
    if (auto e = names.find(to_lower_ascii(s.username));
        e != names.end() && take(e->second, ObjectKind::shared_account, s.id)) {
      shared_entry_[s.id] = e->second;
      plan_.adopted.push_back(
          {ObjectKind::shared_account, s.id, std::string(entries_[e->second].anchor())});
    }
  }
}

void Planner::plan_shared_account(std::size_t index, const ValidatedPortal& valid) {
  const auto& s = portal_.shared_accounts[index];
  auto e = shared_entry_.find(s.id);
  int entry = e == shared_entry_.end() ? -1 : e->second;
  if (row_frozen(ObjectKind::org_unit, s.org_unit_id))
    freeze_row(ObjectKind::shared_account, s.id, entry, "its unit's entry is frozen");
  if (row_frozen(ObjectKind::shared_account, s.id)) return;
  int node = entry >= 0 ? tree_.node_of_entry(static_cast<std::size_t>(entry)) : -1;
  Placement p{ObjectKind::shared_account,
              s.id,
              s.org_unit_id,
              s.username,
              std::string(account_rdn_type(mapping_)),
              s.username,
              unit_node_.at(s.org_unit_id)};
  std::string custodian_dn;
  std::vector<std::size_t> custodian_deps;
  if (const int* c = account_node_.find(s.custodian_id)) {
    custodian_dn = tree_.dn(*c);
    custodian_deps = tree_.prerequisites(*c);
  } else {
    custodian_dn = frozen_account_dn(s.custodian_id);  // stays as it is, named as it is
  }
  UserState state{s.status == "enabled", "portal status " + s.status,
                  "new shared " + s.kind + " account"};
  auto attrs = shared_account_attributes(mapping_, s, place_of(s.org_unit_id, valid), custodian_dn);
  if (!add_posix_attributes(ObjectKind::shared_account, s.id, s.username, entry, attrs)) return;
  plan_user(node, p, std::move(attrs), state, custodian_deps);
}

}  // namespace ps::planner_detail
