#include "connectors/ldap/ldap_mods.h"

namespace ps {

namespace {

int mod_op(Modification::Kind kind, LdapMods::Purpose purpose) {
  if (purpose == LdapMods::Purpose::add_entry) return LDAP_MOD_ADD;
  switch (kind) {
    case Modification::Kind::add:
      return LDAP_MOD_ADD;
    case Modification::Kind::remove:
      return LDAP_MOD_DELETE;
    case Modification::Kind::replace:
      return LDAP_MOD_REPLACE;
  }
  return LDAP_MOD_REPLACE;
}

}  // namespace

LdapMods::LdapMods(const std::vector<Modification>& mods, Purpose purpose) {
  // Sized up front: mods_ and the value arrays are pointed into, so they must not reallocate.
  mods_.reserve(mods.size());
  values_.reserve(mods.size());
  value_pointers_.reserve(mods.size());
  for (const auto& mod : mods) {
    if (purpose == Purpose::add_entry && mod.values.empty()) continue;
    auto& values = values_.emplace_back();
    auto& pointers = value_pointers_.emplace_back();
    values.reserve(mod.values.size());
    for (const auto& v : mod.values) values.push_back({v.size(), const_cast<char*>(v.data())});
    for (auto& v : values) pointers.push_back(&v);
    pointers.push_back(nullptr);

    LDAPMod& ldap_mod = mods_.emplace_back();
    ldap_mod.mod_op = mod_op(mod.kind, purpose) | LDAP_MOD_BVALUES;
    ldap_mod.mod_type = const_cast<char*>(mod.attribute.c_str());
    // No values with delete/replace: the whole attribute goes.
    ldap_mod.mod_bvalues = mod.values.empty() ? nullptr : pointers.data();
  }
  for (auto& m : mods_) pointers_.push_back(&m);
  pointers_.push_back(nullptr);
}

}  // namespace ps
