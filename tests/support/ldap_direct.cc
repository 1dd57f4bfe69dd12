#include "tests/support/ldap_direct.h"

#include <ldap.h>

#include <memory>

namespace ps::testing {

namespace {

struct Unbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext(ld, nullptr, nullptr); }
};
using Handle = std::unique_ptr<LDAP, Unbind>;

Handle open(const std::string& url) {
  LDAP* ld = nullptr;
  if (ldap_initialize(&ld, url.c_str()) != LDAP_SUCCESS) return nullptr;
  int version = LDAP_VERSION3;
  timeval timeout{1, 0};
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
  return Handle(ld);
}

}  // namespace

bool ldap_answers(const std::string& url) {
  Handle ld = open(url);
  if (!ld) return false;
  char no_attributes[] = LDAP_NO_ATTRS;
  char* attrs[] = {no_attributes, nullptr};
  timeval timeout{1, 0};
  LDAPMessage* result = nullptr;
  int rc = ldap_search_ext_s(ld.get(), "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, nullptr,
                             nullptr, &timeout, 1, &result);
  ldap_msgfree(result);
  return rc == LDAP_SUCCESS;
}

Status ldap_add_entry(const std::string& url, const std::string& bind_dn,
                      const std::string& password, const std::string& dn,
                      const AttributeValues& attributes) {
  Handle ld = open(url);
  if (!ld) return Status::error("add " + dn + ": invalid URL " + url);
  berval credentials{password.size(), const_cast<char*>(password.data())};
  int rc = ldap_sasl_bind_s(ld.get(), bind_dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr,
                            nullptr, nullptr);
  if (rc != LDAP_SUCCESS)
    return Status::error("bind as " + bind_dn + " to " + url + ": " + ldap_err2string(rc));

  // LDAPMod arrays pointing into `attributes`; sized first so nothing moves once pointed at.
  std::vector<std::vector<berval>> values(attributes.size());
  std::vector<std::vector<berval*>> value_pointers(attributes.size());
  std::vector<LDAPMod> mods(attributes.size());
  std::vector<LDAPMod*> mod_pointers;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    for (const auto& v : attributes[i].second)
      values[i].push_back({v.size(), const_cast<char*>(v.data())});
    for (auto& v : values[i]) value_pointers[i].push_back(&v);
    value_pointers[i].push_back(nullptr);
    mods[i].mod_op = LDAP_MOD_ADD | LDAP_MOD_BVALUES;
    mods[i].mod_type = const_cast<char*>(attributes[i].first.c_str());
    mods[i].mod_bvalues = value_pointers[i].data();
    mod_pointers.push_back(&mods[i]);
  }
  mod_pointers.push_back(nullptr);
  rc = ldap_add_ext_s(ld.get(), dn.c_str(), mod_pointers.data(), nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return Status::error("add " + dn + ": " + ldap_err2string(rc));
  return Status::ok();
}

}  // namespace ps::testing
