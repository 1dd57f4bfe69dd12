#include "core/portal_lookup.h"

namespace ps {

const Account* find_account(const PortalSnapshot& p, RowId id) {
  for (const auto& a : p.accounts)
    if (a.id == id) return &a;
  return nullptr;
}

const Account* find_account_by_username(const PortalSnapshot& p, std::string_view username) {
  for (const auto& a : p.accounts)
    if (a.username() == username) return &a;
  return nullptr;
}

const OrgUnit* find_unit(const PortalSnapshot& p, RowId id) {
  for (const auto& u : p.units)
    if (u.id == id) return &u;
  return nullptr;
}

const OrgUnit* find_unit_by_code(const PortalSnapshot& p, std::string_view code) {
  for (const auto& u : p.units)
    if (u.code == code) return &u;
  return nullptr;
}

const SharedAccount* find_shared_by_username(const PortalSnapshot& p, std::string_view username) {
  for (const auto& s : p.shared_accounts)
    if (s.username == username) return &s;
  return nullptr;
}

RowId unit_of(const PortalSnapshot& p, ObjectKind kind, RowId id) {
  if (kind == ObjectKind::org_unit) return find_unit(p, id) ? id : 0;
  if (kind == ObjectKind::account) {
    const auto* a = find_account(p, id);
    return a ? a->org_unit_id : 0;
  }
  if (kind == ObjectKind::shared_account)
    for (const auto& s : p.shared_accounts)
      if (s.id == id) return s.org_unit_id;
  return 0;
}

std::string unit_name(const PortalSnapshot& p, RowId id) {
  const auto* u = find_unit(p, id);
  return u ? u->name : "unit " + std::to_string(id);
}

std::string account_name(const PortalSnapshot& p, RowId id) {
  const auto* a = find_account(p, id);
  return a ? std::string(a->username()) : "account " + std::to_string(id);
}

}  // namespace ps
