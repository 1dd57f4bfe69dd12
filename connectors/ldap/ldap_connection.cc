#include "connectors/ldap/ldap_connection.h"

#include <sys/time.h>

namespace ps {

std::string ldap_error_text(int rc, const char* diagnostic) {
  std::string out = ldap_err2string(rc);
  if (diagnostic && *diagnostic) out += std::string(": ") + diagnostic;
  return out;
}

std::string LdapConnection::last_error() const {
  int rc = LDAP_OTHER;
  char* diag = nullptr;
  ldap_get_option(ld_, LDAP_OPT_RESULT_CODE, &rc);
  ldap_get_option(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
  auto text = ldap_error_text(rc, diag);
  ldap_memfree(diag);
  return text;
}

LdapConnection::~LdapConnection() {
  if (ld_) ldap_unbind_ext_s(ld_, nullptr, nullptr);
}

namespace {

Status set_options(LDAP* ld, const LdapSettings& s) {
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);  // AD returns referrals from the root
  timeval timeout{s.timeout_seconds, 0};
  ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
  if (s.tls == LdapSettings::Tls::none) return Status::ok();
  int demand = LDAP_OPT_X_TLS_DEMAND;
  if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS)
    return Status::error("cannot require certificate checks");
  if (!s.ca_file.empty() &&
      ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, s.ca_file.c_str()) != LDAP_OPT_SUCCESS)
    return Status::error("cannot use CA file " + s.ca_file);
  int fresh = 0;
  ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &fresh);  // the options above take effect
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<LdapConnection>> LdapConnection::open(const LdapSettings& settings) {
  using R = Result<std::unique_ptr<LdapConnection>>;
  LDAP* ld = nullptr;
  if (int rc = ldap_initialize(&ld, settings.url.c_str()); rc != LDAP_SUCCESS)
    return R::failure("directory " + settings.url + ": invalid URL: " + ldap_err2string(rc));
  std::unique_ptr<LdapConnection> conn(new LdapConnection(ld, settings));
  if (auto st = set_options(ld, settings); !st)
    return R::failure("directory " + settings.url + ": " + st.message());
  if (settings.tls == LdapSettings::Tls::starttls) {
    if (int rc = ldap_start_tls_s(ld, nullptr, nullptr); rc != LDAP_SUCCESS)
      return R::failure("directory " + settings.url + ": StartTLS failed: " + conn->last_error());
  }
  berval cred{static_cast<ber_len_t>(settings.bind_password.size()),
              const_cast<char*>(settings.bind_password.data())};
  int rc = ldap_sasl_bind_s(ld, settings.bind_dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr, nullptr,
                            nullptr);
  if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT)
    return R::failure("cannot connect to " + settings.url + ": " + conn->last_error());
  if (rc != LDAP_SUCCESS)
    return R::failure("directory " + settings.url + ": bind as " + settings.bind_dn +
                      " failed: " + conn->last_error());
  return conn;
}

}  // namespace ps
