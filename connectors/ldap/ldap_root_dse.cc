#include "connectors/ldap/ldap_root_dse.h"

#include <cstring>

namespace ps {

bool server_supports_control(LDAP* ld, const char* oid, const LdapSettings& settings) {
  char attribute[] = "supportedControl";
  char* attributes[] = {attribute, nullptr};
  timeval timeout{settings.timeout_seconds, 0};
  LDAPMessage* result = nullptr;
  int rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attributes, 0, nullptr,
                             nullptr, &timeout, 1, &result);
  bool found = false;
  if (rc == LDAP_SUCCESS)
    if (LDAPMessage* entry = ldap_first_entry(ld, result))
      if (berval** values = ldap_get_values_len(ld, entry, attribute)) {
        for (int i = 0; values[i] && !found; ++i)
          found = values[i]->bv_len == std::strlen(oid) &&
                  std::memcmp(values[i]->bv_val, oid, values[i]->bv_len) == 0;
        ldap_value_free_len(values);
      }
  ldap_msgfree(result);
  return found;
}

}  // namespace ps
