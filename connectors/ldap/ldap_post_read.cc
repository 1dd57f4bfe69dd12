#include "connectors/ldap/ldap_post_read.h"

#include "connectors/ldap/ldap_anchor.h"
#include "core/text.h"

namespace ps {

LDAPControl* make_post_read_control(const std::string& attribute) {
  // controlValue: AttributeSelection ::= SEQUENCE OF LDAPString
  BerElement* ber = ber_alloc_t(LBER_USE_DER);
  if (!ber) return nullptr;
  LDAPControl* control = nullptr;
  berval value{};
  if (ber_printf(ber, "{s}", attribute.c_str()) != -1 && ber_flatten2(ber, &value, 0) == 0)
    ldap_control_create(LDAP_CONTROL_POST_READ, 0, &value, 1, &control);
  ber_free(ber, 1);
  return control;
}

std::string find_post_read_anchor(LDAPControl** controls, std::string_view attribute) {
  LDAPControl* control = ldap_control_find(LDAP_CONTROL_POST_READ, controls, nullptr);
  if (!control) return "";
  // controlValue: a SearchResultEntry { objectName, SEQUENCE OF { type, SET OF value } }
  BerElement* ber = ber_init(&control->ldctl_value);
  if (!ber) return "";
  std::string anchor;
  berval name{};
  if (ber_scanf(ber, "{m{", &name) != LBER_ERROR) {
    while (anchor.empty() && ber_scanf(ber, "{m", &name) != LBER_ERROR) {
      BerVarray values = nullptr;
      if (ber_scanf(ber, "[W]}", &values) == LBER_ERROR) break;
      std::string_view type(name.bv_val, name.bv_len);
      if (values && values[0].bv_val && iequals(type, attribute))
        anchor = format_anchor(attribute, std::string_view(values[0].bv_val, values[0].bv_len));
      ber_bvarray_free(values);
    }
  }
  ber_free(ber, 1);
  return anchor;
}

}  // namespace ps
