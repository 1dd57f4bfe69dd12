// libldap's LDAPMod array for a list of Modifications. It points into the Modifications' strings,
// so it is valid only while they are; ldap_add_ext / ldap_modify_ext encode it before returning.
#pragma once

#include <ldap.h>

#include <vector>

#include "core/directory.h"

namespace ps {

class LdapMods {
 public:
  enum class Purpose { add_entry, modify_entry };
  // add_entry: every modification becomes an attribute of the new entry (kinds ignored;
  // attributes without values are left out). modify_entry: add/delete/replace as given; a
  // remove without values deletes the whole attribute.
  LdapMods(const std::vector<Modification>& mods, Purpose purpose);
  LdapMods(const LdapMods&) = delete;
  LdapMods& operator=(const LdapMods&) = delete;

  LDAPMod** get() { return pointers_.data(); }
  bool empty() const { return mods_.empty(); }

 private:
  std::vector<LDAPMod> mods_;
  std::vector<std::vector<berval>> values_;
  std::vector<std::vector<berval*>> value_pointers_;
  std::vector<LDAPMod*> pointers_;
};

}  // namespace ps
