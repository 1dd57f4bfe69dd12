#include "connectors/ldap/ldap_password.h"

#include <openssl/crypto.h>

#include <cstdint>
#include <vector>

#include "connectors/ldap/ldap_error.h"
#include "core/mapping.h"
#include "core/text.h"

namespace ps {

namespace {

// Wipes a buffer holding password material when it goes out of scope.
struct WipedBuffer {
  std::string bytes;
  ~WipedBuffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

// The session itself, not the configuration: a StartTLS that was skipped or a connection that
// was re-established in clear must not carry a password.
bool session_encrypted(LDAP* ld) { return ldap_tls_inplace(ld) != 0; }

void append_utf16le(std::string& out, std::uint32_t unit) {
  out += static_cast<char>(unit & 0xFF);
  out += static_cast<char>(unit >> 8);
}

// One modification of one attribute, with its values as bervals (unicodePwd is binary).
class Mod {
 public:
  Mod(int op, const char* type, std::vector<std::string_view> values) : values_(values.size()) {
    for (std::size_t i = 0; i < values.size(); ++i)
      values_[i] = {values[i].size(), const_cast<char*>(values[i].data())};
    for (auto& v : values_) pointers_.push_back(&v);
    pointers_.push_back(nullptr);
    mod_.mod_op = op | LDAP_MOD_BVALUES;
    mod_.mod_type = const_cast<char*>(type);
    mod_.mod_bvalues = pointers_.data();
  }
  Mod(const Mod&) = delete;
  LDAPMod* get() { return &mod_; }

 private:
  std::vector<berval> values_;
  std::vector<berval*> pointers_;
  LDAPMod mod_{};
};

int modify(LDAP* ld, const std::string& dn, std::vector<LDAPMod*> mods) {
  mods.push_back(nullptr);
  return ldap_modify_ext_s(ld, dn.c_str(), mods.data(), nullptr, nullptr);
}

// A write that failed: sent, so a lost connection leaves its outcome unknown.
Status failed(const char* what, const std::string& dn, LDAP* ld, int rc) {
  return Status::error(status_code_of(rc, true),
                       std::string(what) + " " + dn + ": " + describe_session_error(ld, rc));
}

Result<std::string> read_lock(LDAP* ld, const LdapSettings& settings, const std::string& dn,
                              const char* what);

// ppolicy drops pwdAccountLockedTime whenever a password changes: portalsync's own lock of a
// pending or locked account is written again in the modify that follows, so setting the first
// password of a pending account does not let it sign in (for the milliseconds between the two
// requests it could).
Status set_openldap_password(LDAP* ld, const LdapSettings& settings, const std::string& dn,
                             std::string_view password, bool must_change) {
  auto lock = read_lock(ld, settings, dn, "set password");
  if (!lock) return lock.status();
  bool relock = lock.value() == kPermanentLock;
  berval user{dn.size(), const_cast<char*>(dn.data())};
  berval new_password{password.size(), const_cast<char*>(password.data())};
  berval generated{0, nullptr};  // only filled when the server makes one up (no newpw sent)
  int rc = ldap_passwd_s(ld, &user, nullptr, &new_password, &generated, nullptr, nullptr);
  if (generated.bv_val) {
    OPENSSL_cleanse(generated.bv_val, generated.bv_len);
    ber_memfree(generated.bv_val);
  }
  if (rc != LDAP_SUCCESS) return failed("set password", dn, ld, rc);
  // ppolicy's "must change at next bind". Without --must-change a reset stands as given, as on
  // AD, where a reset also clears a pending "must change".
  Mod reset(LDAP_MOD_REPLACE, "pwdReset",
            must_change ? std::vector<std::string_view>{"TRUE"} : std::vector<std::string_view>{});
  Mod keep_lock(LDAP_MOD_REPLACE, kLockAttribute.data(), {kPermanentLock});
  std::vector<LDAPMod*> mods{reset.get()};
  if (relock) mods.push_back(keep_lock.get());
  rc = modify(ld, dn, mods);
  if (rc == LDAP_SUCCESS) return Status::ok();
  return Status::error("set password " + dn + ": the password was set, but " +
                       (relock ? "neither pwdReset nor portalsync's lock (the account may sign in "
                                 "until the next sync locks it again)"
                               : "pwdReset was not") +
                       ": " + describe_session_error(ld, rc));
}

Status set_ad_password(LDAP* ld, const std::string& dn, std::string_view password,
                       bool must_change) {
  WipedBuffer quoted{ad_unicode_password(password)};
  if (quoted.bytes.empty())
    return Status::error(StatusCode::invalid,
                         "set password " + dn + ": the password is not valid UTF-8");
  Mod unicode_pwd(LDAP_MOD_REPLACE, "unicodePwd", {quoted.bytes});
  Mod pwd_last_set(LDAP_MOD_REPLACE, "pwdLastSet", {"0"});  // 0: change at next sign-in
  std::vector<LDAPMod*> mods{unicode_pwd.get()};
  if (must_change) mods.push_back(pwd_last_set.get());
  int rc = modify(ld, dn, mods);  // one request: both change, or neither
  if (rc != LDAP_SUCCESS) return failed("set password", dn, ld, rc);
  return Status::ok();
}

// The current ppolicy lock value of dn, "" when there is none.
Result<std::string> read_lock(LDAP* ld, const LdapSettings& settings, const std::string& dn,
                              const char* what) {
  std::string attribute(kLockAttribute);
  char* attributes[] = {attribute.data(), nullptr};
  timeval timeout{settings.timeout_seconds, 0};
  LDAPMessage* result = nullptr;
  int rc = ldap_search_ext_s(ld, dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)", attributes, 0,
                             nullptr, nullptr, &timeout, 1, &result);
  if (rc != LDAP_SUCCESS) {
    ldap_msgfree(result);
    return Error{std::string(what) + " " + dn + ": " + describe_session_error(ld, rc),
                 status_code_of(rc, false)};
  }
  std::string value;
  if (LDAPMessage* entry = ldap_first_entry(ld, result)) {
    berval** values = ldap_get_values_len(ld, entry, attribute.c_str());
    if (values && values[0]) value.assign(values[0]->bv_val, values[0]->bv_len);
    ldap_value_free_len(values);
  }
  ldap_msgfree(result);
  return value;
}

Status unlock_openldap(LDAP* ld, const LdapSettings& settings, const std::string& dn) {
  auto lock = read_lock(ld, settings, dn, "unlock");
  if (!lock) return lock.status();
  if (lock->empty()) return Status::ok();
  if (lock.value() == kPermanentLock)
    return Status::error(
        StatusCode::refused,
        "unlock " + dn + ": refused: " + std::string(kLockAttribute) + " is " +
            std::string(kPermanentLock) +
            ", portalsync's lock of an account the portal has disabled, locked or not yet enabled; "
            "unlock clears lockouts after failed sign-ins and does not enable accounts (enable it "
            "in the portal)");
  // Deleting exactly the value read: if a sync locked the account meanwhile, this fails instead
  // of removing that lock.
  Mod remove(LDAP_MOD_DELETE, kLockAttribute.data(), {lock.value()});
  int rc = modify(ld, dn, {remove.get()});
  if (rc != LDAP_SUCCESS) return failed("unlock", dn, ld, rc);
  return Status::ok();
}

Status unlock_ad(LDAP* ld, const std::string& dn) {
  Mod lockout_time(LDAP_MOD_REPLACE, "lockoutTime", {"0"});
  int rc = modify(ld, dn, {lockout_time.get()});
  if (rc != LDAP_SUCCESS) return failed("unlock", dn, ld, rc);
  return Status::ok();
}

}  // namespace

std::string ad_unicode_password(std::string_view password) {
  if (!is_valid_utf8(password)) return "";
  std::string out;
  out.reserve((password.size() + 2) * 2);  // one allocation: nothing left behind unwiped
  append_utf16le(out, '"');
  for (std::size_t i = 0; i < password.size();) {
    auto c = static_cast<std::uint8_t>(password[i]);
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    std::uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (password[i + k] & 0x3F);
    i += extra + 1;
    if (cp < 0x10000) {
      append_utf16le(out, cp);
    } else {  // a surrogate pair
      cp -= 0x10000;
      append_utf16le(out, 0xD800 + (cp >> 10));
      append_utf16le(out, 0xDC00 + (cp & 0x3FF));
    }
  }
  append_utf16le(out, '"');
  return out;
}

Status set_ldap_password(LDAP* ld, const LdapSettings& settings, const std::string& dn,
                         std::string_view password, bool must_change) {
  if (!session_encrypted(ld))
    return Status::error(StatusCode::refused,
                         "set password " + dn + ": refused: the connection to " + settings.url +
                             " is not encrypted; passwords are sent only over StartTLS or ldaps "
                             "(directory.tls)");
  if (settings.flavor == Flavor::ad) return set_ad_password(ld, dn, password, must_change);
  return set_openldap_password(ld, settings, dn, password, must_change);
}

Status unlock_ldap_account(LDAP* ld, const LdapSettings& settings, const std::string& dn) {
  if (settings.flavor == Flavor::ad) return unlock_ad(ld, dn);
  return unlock_openldap(ld, settings, dn);
}

}  // namespace ps
