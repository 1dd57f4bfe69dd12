#include "connectors/ldap/ldap_lock_policy.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <map>
#include <optional>

#include "connectors/ldap/ldap_connection.h"
#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_root_dse.h"
#include "core/dn.h"
#include "core/mapping.h"
#include "core/text.h"

namespace ps {

namespace {

using Attributes = std::map<std::string, std::vector<std::string>>;  // lower-case name -> values

// One entry's attributes, base scope; nullopt when it does not exist.
Result<std::optional<Attributes>> read_entry(LDAP* ld, const LdapSettings& settings,
                                             const std::string& dn,
                                             std::vector<std::string> names) {
  std::vector<char*> attrs;
  for (auto& n : names) attrs.push_back(n.data());
  attrs.push_back(nullptr);
  timeval timeout{settings.timeout_seconds, 0};
  LDAPMessage* result = nullptr;
  int rc = ldap_search_ext_s(ld, dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)", attrs.data(), 0,
                             nullptr, nullptr, &timeout, 1, &result);
  if (rc == LDAP_NO_SUCH_OBJECT) {
    ldap_msgfree(result);
    return std::optional<Attributes>();
  }
  if (rc != LDAP_SUCCESS) {
    ldap_msgfree(result);
    return Error{"read " + dn + ": " + describe_session_error(ld, rc)};
  }
  Attributes out;
  if (LDAPMessage* entry = ldap_first_entry(ld, result)) {
    for (const auto& n : names)
      if (berval** values = ldap_get_values_len(ld, entry, n.c_str())) {
        auto& to = out[to_lower_ascii(n)];
        for (int i = 0; values[i]; ++i) to.emplace_back(values[i]->bv_val, values[i]->bv_len);
        ldap_value_free_len(values);
      }
  }
  ldap_msgfree(result);
  return std::optional<Attributes>(std::move(out));
}

bool has_value(const Attributes& a, const std::string& name, std::string_view value) {
  auto it = a.find(name);
  if (it == a.end()) return false;
  for (const auto& v : it->second)
    if (iequals(v, value)) return true;
  return false;
}

// LDAPMod arrays over strings that outlive the call.
class Mods {
 public:
  void add(int op, const char* type, std::vector<std::string> values) {
    items_.push_back({op, type, std::move(values), {}});
  }
  LDAPMod** build() {
    mods_.clear();
    pointers_.clear();
    mods_.reserve(items_.size());
    for (auto& item : items_) {
      item.pointers.clear();
      for (auto& v : item.values) item.pointers.push_back(v.data());
      item.pointers.push_back(nullptr);
      LDAPMod m{};
      m.mod_op = item.op;
      m.mod_type = const_cast<char*>(item.type);
      m.mod_values = item.pointers.data();
      mods_.push_back(m);
    }
    for (auto& m : mods_) pointers_.push_back(&m);
    pointers_.push_back(nullptr);
    return pointers_.data();
  }
  void wipe() {
    for (auto& item : items_)
      for (auto& v : item.values) OPENSSL_cleanse(v.data(), v.size());
  }

 private:
  struct Item {
    int op;
    const char* type;
    std::vector<std::string> values;
    std::vector<char*> pointers;
  };
  std::vector<Item> items_;
  std::vector<LDAPMod> mods_;
  std::vector<LDAPMod*> pointers_;
};

std::string random_password() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  auto out = hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  OPENSSL_cleanse(bytes, sizeof bytes);
  return out;
}

// What to configure when locks would not stop binds.
std::string configure_hint(const LockPolicySpec& spec) {
  return "load the ppolicy overlay on the slapd database holding " + spec.base_dn +
         " (slapd.conf: `moduleload ppolicy` and `overlay ppolicy` in that database's section; "
         "cn=config: an olcOverlay=ppolicy entry below its olcDatabase), see docs/operations.md";
}

std::string refusal(const LdapSettings& settings, const std::string& why) {
  return "directory " + settings.url +
         ": a locked account could still sign in, so portalsync will not sync: " + why;
}

Status add_policy(LDAP* ld, const LdapSettings& settings, const LockPolicySpec& spec,
                  LockPolicyReport& report) {
  auto rdn = parse_dn(spec.policy_dn);
  if (!rdn || rdn->rdns.empty() || !iequals(rdn->rdns[0].avas[0].type, "cn"))
    return Status::error("directory.lock_policy_dn " + spec.policy_dn +
                         " must start with cn= (the policy is an organizationalRole)");
  Mods mods;
  mods.add(LDAP_MOD_ADD, "objectClass",
           {"top", "organizationalRole", "pwdPolicy", "simpleSecurityObject"});
  mods.add(LDAP_MOD_ADD, "cn", {rdn->rdns[0].avas[0].value});
  mods.add(LDAP_MOD_ADD, "description",
           {"portalsync: the password policy of locked accounts (pwdLockout makes slapd enforce "
            "their pwdAccountLockedTime); kept by portalsync, do not delete"});
  mods.add(LDAP_MOD_ADD, "pwdAttribute", {"userPassword"});
  mods.add(LDAP_MOD_ADD, "pwdLockout", {"TRUE"});
  mods.add(LDAP_MOD_ADD, "userPassword", {random_password()});
  mods.add(LDAP_MOD_ADD, kLockAttribute.data(), {std::string(kPermanentLock)});
  mods.add(LDAP_MOD_ADD, kPolicySubentryAttribute.data(), {spec.policy_dn});
  int rc = ldap_add_ext_s(ld, spec.policy_dn.c_str(), mods.build(), nullptr, nullptr);
  mods.wipe();
  if (rc == LDAP_SUCCESS) {
    report.notes.push_back("created the lock policy " + spec.policy_dn + " (pwdLockout: TRUE)");
    return Status::ok();
  }
  bool parent_is_base = normalize_dn(parent_dn(spec.policy_dn)) == normalize_dn(spec.base_dn);
  if (rc == LDAP_NO_SUCH_OBJECT && parent_is_base) {
    report.base_missing = true;
    return Status::ok();
  }
  std::string why = "add the lock policy " + spec.policy_dn + ": " + describe_session_error(ld, rc);
  if (rc == LDAP_OBJECT_CLASS_VIOLATION || rc == LDAP_UNDEFINED_TYPE || rc == LDAP_INVALID_SYNTAX)
    return Status::error(refusal(settings, why +
                                               " (the pwdPolicy schema comes with the ppolicy "
                                               "overlay); " +
                                               configure_hint(spec)));
  return Status::error(why);
}

// The policy must say pwdLockout: TRUE for userPassword; the entry is portalsync's, so it is put
// right rather than refused.
Status repair_policy(LDAP* ld, const LockPolicySpec& spec) {
  Mods mods;
  mods.add(LDAP_MOD_REPLACE, "pwdAttribute", {"userPassword"});
  mods.add(LDAP_MOD_REPLACE, "pwdLockout", {"TRUE"});
  int rc = ldap_modify_ext_s(ld, spec.policy_dn.c_str(), mods.build(), nullptr, nullptr);
  if (rc == LDAP_SUCCESS) return Status::ok();
  return Status::error("repair the lock policy " + spec.policy_dn + ": " +
                       describe_session_error(ld, rc));
}

// Locks the policy entry under itself with a fresh random password, then binds as it on a new
// connection: the bind must be refused. The lock goes in a modify of its own after the password:
// ppolicy drops pwdAccountLockedTime when a password changes (measured on slapd 2.5: also when
// the same modify replaces the lock and pwdPolicySubentry).
Status prove_lock(LDAP* ld, const LdapSettings& settings, const LockPolicySpec& spec,
                  const Attributes& policy) {
  std::string password = random_password();
  if (password.empty()) return Status::error("lock policy: no random bytes for the test bind");
  Mods credentials;
  if (!has_value(policy, "objectclass", "simpleSecurityObject"))
    credentials.add(LDAP_MOD_ADD, "objectClass", {"simpleSecurityObject"});
  credentials.add(LDAP_MOD_REPLACE, "userPassword", {password});
  credentials.add(LDAP_MOD_REPLACE, kPolicySubentryAttribute.data(), {spec.policy_dn});
  int rc = ldap_modify_ext_s(ld, spec.policy_dn.c_str(), credentials.build(), nullptr, nullptr);
  credentials.wipe();
  if (rc == LDAP_SUCCESS) {
    Mods lock;
    lock.add(LDAP_MOD_REPLACE, kLockAttribute.data(), {std::string(kPermanentLock)});
    rc = ldap_modify_ext_s(ld, spec.policy_dn.c_str(), lock.build(), nullptr, nullptr);
  }
  if (rc != LDAP_SUCCESS) {
    OPENSSL_cleanse(password.data(), password.size());
    return Status::error("lock policy " + spec.policy_dn +
                         ": cannot prepare the test bind: " + describe_session_error(ld, rc));
  }
  LdapSettings probe = settings;
  probe.bind_dn = spec.policy_dn;
  probe.bind_password = password;
  int bind_rc = LDAP_OTHER;
  auto connection = LdapConnection::open(probe, &bind_rc);
  OPENSSL_cleanse(password.data(), password.size());
  OPENSSL_cleanse(probe.bind_password.data(), probe.bind_password.size());
  if (connection)
    return Status::error(refusal(
        settings, "a test bind as " + spec.policy_dn +
                      ", which carries pwdAccountLockedTime: " + std::string(kPermanentLock) +
                      " under its own policy with pwdLockout: TRUE, succeeded, so the ppolicy "
                      "overlay does not act on that database; " +
                      configure_hint(spec)));
  if (bind_rc == LDAP_INVALID_CREDENTIALS) return Status::ok();
  return Status::error(
      "lock policy " + spec.policy_dn +
      ": the test bind that proves locks stop binds failed: " + connection.error());
}

}  // namespace

Result<LockPolicyReport> prepare_ldap_lock_policy(LDAP* ld, const LdapSettings& settings,
                                                  const LockPolicySpec& spec) {
  LockPolicyReport report;
  auto& notes = report.notes;
  if (!server_supports_control(ld, kPasswordPolicyControl, settings))
    return Error{refusal(settings, std::string("the server does not announce the password policy "
                                               "control (") +
                                       kPasswordPolicyControl +
                                       "), so no ppolicy overlay is loaded; " +
                                       configure_hint(spec))};
  const std::vector<std::string> names = {"objectClass", "pwdLockout", "pwdAttribute"};
  auto policy = read_entry(ld, settings, spec.policy_dn, names);
  if (!policy) return Error{policy.error()};
  bool wrote = false;
  if (!policy.value()) {
    if (!spec.create) {
      notes.push_back("the first sync creates the lock policy " + spec.policy_dn +
                      " (pwdLockout: TRUE)");
      return report;
    }
    if (auto st = add_policy(ld, settings, spec, report); !st) return Error{st.message()};
    if (report.base_missing) return report;
    wrote = true;
    policy = read_entry(ld, settings, spec.policy_dn, names);
    if (!policy) return Error{policy.error()};
    if (!policy.value()) return Error{"the lock policy " + spec.policy_dn + " vanished"};
  }
  const Attributes& found = *policy.value();
  if (!has_value(found, "objectclass", "pwdPolicy"))
    return Error{"directory.lock_policy_dn " + spec.policy_dn +
                 " names an entry that is not a password policy (no objectClass pwdPolicy); "
                 "remove that entry or name another DN"};
  bool right =
      has_value(found, "pwdlockout", "TRUE") && (has_value(found, "pwdattribute", "userPassword") ||
                                                 has_value(found, "pwdattribute", "2.5.4.35"));
  if (!right) {
    if (!spec.create) {
      notes.push_back("the next sync sets pwdLockout: TRUE on the lock policy " + spec.policy_dn);
      return report;
    }
    if (auto st = repair_policy(ld, spec); !st) return Error{st.message()};
    notes.push_back("set pwdLockout: TRUE on the lock policy " + spec.policy_dn);
    wrote = true;
  }
  // A policy that was just written is proven by a test bind. A failed proof removes it again, so
  // that every later run writes and tests it anew (and refuses) instead of trusting it.
  if (wrote)
    if (auto st = prove_lock(ld, settings, spec, found); !st) {
      ldap_delete_ext_s(ld, spec.policy_dn.c_str(), nullptr, nullptr);
      return Error{st.message()};
    }
  return report;
}

}  // namespace ps
