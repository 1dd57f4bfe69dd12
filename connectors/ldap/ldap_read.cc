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

// Reads the entry straight from its BER element: the values point into the message buffer and
// are copied once, into the entry (ldap_get_values_len would copy them twice).
DirectoryEntry to_entry(LDAP* ld, LDAPMessage* e, const std::string& anchor_attribute,
                        std::size_t expected_attributes) {
  DirectoryEntry out;
  out.attributes.reserve(expected_attributes);
  BerElement* ber = nullptr;
  berval dn{0, nullptr};
  if (ldap_get_dn_ber(ld, e, &ber, &dn) != LDAP_SUCCESS) return out;
  out.dn.assign(dn.bv_val, dn.bv_len);
  berval name{0, nullptr};
  BerVarray values = nullptr;
  while (ldap_get_attribute_ber(ld, e, ber, &name, &values) == LDAP_SUCCESS && name.bv_val) {
    std::string_view attribute(name.bv_val, name.bv_len);
    if (iequals(attribute, anchor_attribute)) {
      if (values && values[0].bv_val) out.anchor.assign(values[0].bv_val, values[0].bv_len);
    } else {
      Attribute a;
      a.name = to_lower_ascii(attribute);
      std::size_t n = 0;
      while (values && values[n].bv_val) ++n;
      a.values.reserve(n);
      for (std::size_t i = 0; i < n; ++i) a.values.emplace_back(values[i].bv_val, values[i].bv_len);
      out.attributes.push_back(std::move(a));
    }
    ber_memfree(values);
    values = nullptr;
  }
  ber_free(ber, 0);
  return out;
}

}  // namespace

// Each page is requested asynchronously and its entries are parsed one by one as they arrive, so
// our parsing overlaps the server's sending (a synchronous search would wait for the whole page).
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
  auto fail = [&](const std::string& why) {
    ber_memfree(cookie.bv_val);
    return R::failure("search of " + spec.base_dn + " on " + s.url + ": " + why);
  };
  do {
    LDAPControl* page = nullptr;
    if (int rc = ldap_create_page_control(ld, s.page_size, &cookie, 0, &page); rc != LDAP_SUCCESS)
      return fail(std::string("cannot create the paging control: ") + ldap_err2string(rc));
    LDAPControl* controls[] = {page, nullptr};
    int msgid = -1;
    int rc = ldap_search_ext(ld, spec.base_dn.c_str(), LDAP_SCOPE_SUBTREE, "(objectClass=*)",
                             attrs.data(), 0, controls, nullptr, &timeout, LDAP_NO_LIMIT, &msgid);
    ldap_control_free(page);
    ber_memfree(cookie.bv_val);
    cookie = {0, nullptr};
    if (rc != LDAP_SUCCESS) return fail(conn.last_error());
    bool page_done = false;
    while (!page_done) {
      LDAPMessage* raw = nullptr;
      int type = ldap_result(ld, msgid, LDAP_MSG_ONE, &timeout, &raw);
      Message message(raw);
      if (type <= 0)
        return fail(type == 0 ? "no answer within " + std::to_string(s.timeout_seconds) + " s"
                              : conn.last_error());
      if (type == LDAP_RES_SEARCH_ENTRY) {
        auto entry = to_entry(ld, raw, s.anchor_attribute, spec.attributes.size());
        bool could_be_base = entry.dn.size() <= spec.base_dn.size() + 16;
        if (could_be_base && normalize_dn(entry.dn) == base) continue;  // the base itself
        out.entries.push_back(std::move(entry));
      } else if (type == LDAP_RES_SEARCH_RESULT) {
        page_done = true;
        int result_code = LDAP_SUCCESS;
        char* diagnostic = nullptr;
        LDAPControl** response = nullptr;
        ldap_parse_result(ld, raw, &result_code, nullptr, &diagnostic, nullptr, &response, 0);
        std::string why = ldap_error_text(result_code, diagnostic);
        ldap_memfree(diagnostic);
        if (result_code == LDAP_NO_SUCH_OBJECT) {
          ldap_controls_free(response);
          out.base_exists = false;
          out.entries.clear();
          return out;
        }
        if (result_code != LDAP_SUCCESS) {
          ldap_controls_free(response);
          return fail(why);
        }
        if (LDAPControl* c = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, response, nullptr)) {
          ber_int_t estimate = 0;
          ldap_parse_pageresponse_control(ld, c, &estimate, &cookie);
        }
        ldap_controls_free(response);
      }
      // Referrals and intermediate messages are not ours to follow.
    }
  } while (cookie.bv_val && cookie.bv_len > 0);
  ber_memfree(cookie.bv_val);
  return out;
}

}  // namespace ps
