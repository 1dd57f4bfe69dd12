#include "connectors/ldap/ldap_read.h"

#include <sys/time.h>

#include <memory>

#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using Message = std::unique_ptr<LDAPMessage, MessageFree>;

DirectoryEntry to_entry(LDAP* ld, LDAPMessage* e, const std::string& anchor_attribute) {
  DirectoryEntry out;
  char* dn = ldap_get_dn(ld, e);
  out.dn = dn ? dn : "";
  ldap_memfree(dn);
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, e, &ber); name;
       name = ldap_next_attribute(ld, e, ber)) {
    berval** values = ldap_get_values_len(ld, e, name);
    if (iequals(name, anchor_attribute)) {
      if (values && values[0]) out.anchor.assign(values[0]->bv_val, values[0]->bv_len);
    } else {
      Attribute a;
      a.name = to_lower_ascii(name);
      for (int i = 0; values && values[i]; ++i)
        a.values.emplace_back(values[i]->bv_val, values[i]->bv_len);
      out.attributes.push_back(std::move(a));
    }
    ldap_value_free_len(values);
    ldap_memfree(name);
  }
  if (ber) ber_free(ber, 0);
  return out;
}

}  // namespace

Result<DirectoryReadResult> read_subtree_paged(LdapConnection& conn, const ReadSpec& spec) {
  using R = Result<DirectoryReadResult>;
  LDAP* ld = conn.handle();
  const auto& s = conn.settings();
  std::vector<std::string> names = spec.attributes;
  names.push_back(s.anchor_attribute);
  std::vector<char*> attrs;
  for (auto& n : names) attrs.push_back(n.data());
  attrs.push_back(nullptr);

  DirectoryReadResult out;
  out.base_exists = true;
  auto base = normalize_dn(spec.base_dn);
  berval cookie{0, nullptr};
  timeval timeout{s.timeout_seconds, 0};
  do {
    LDAPControl* page = nullptr;
    if (int rc = ldap_create_page_control(ld, s.page_size, &cookie, 0, &page); rc != LDAP_SUCCESS)
      return R::failure("search of " + spec.base_dn +
                        ": cannot create the paging control: " + ldap_err2string(rc));
    LDAPControl* controls[] = {page, nullptr};
    LDAPMessage* raw = nullptr;
    int rc = ldap_search_ext_s(ld, spec.base_dn.c_str(), LDAP_SCOPE_SUBTREE, "(objectClass=*)",
                               attrs.data(), 0, controls, nullptr, &timeout, LDAP_NO_LIMIT, &raw);
    ldap_control_free(page);
    Message result(raw);
    if (rc == LDAP_NO_SUCH_OBJECT) {
      out.base_exists = false;
      out.entries.clear();
      break;
    }
    if (rc != LDAP_SUCCESS)
      return R::failure("search of " + spec.base_dn + " on " + s.url + ": " + conn.last_error());
    for (LDAPMessage* e = ldap_first_entry(ld, raw); e; e = ldap_next_entry(ld, e)) {
      auto entry = to_entry(ld, e, s.anchor_attribute);
      bool could_be_base = entry.dn.size() <= spec.base_dn.size() + 16;
      if (could_be_base && normalize_dn(entry.dn) == base) continue;  // the base itself
      out.entries.push_back(std::move(entry));
    }
    LDAPControl** response = nullptr;
    int result_code = LDAP_SUCCESS;
    ldap_parse_result(ld, raw, &result_code, nullptr, nullptr, nullptr, &response, 0);
    ber_memfree(cookie.bv_val);
    cookie = {0, nullptr};
    if (LDAPControl* c = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, response, nullptr)) {
      ber_int_t estimate = 0;
      ldap_parse_pageresponse_control(ld, c, &estimate, &cookie);
    }
    ldap_controls_free(response);
  } while (cookie.bv_val && cookie.bv_len > 0);
  ber_memfree(cookie.bv_val);
  return out;
}

}  // namespace ps
