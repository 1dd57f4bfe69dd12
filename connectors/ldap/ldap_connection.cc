#include "connectors/ldap/ldap_connection.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include "connectors/ldap/ldap_error.h"

namespace ps {

namespace {

// Owns the handle until open() succeeds.
struct HandleGuard {
  LDAP* ld = nullptr;
  ~HandleGuard() {
    if (ld) ldap_unbind_ext(ld, nullptr, nullptr);
  }
  LDAP* release() { return std::exchange(ld, nullptr); }
};

Status check_url_matches_tls(const LdapSettings& settings) {
  bool ldaps_url = std::string_view(settings.url).starts_with("ldaps://");
  bool want_ldaps = settings.tls == LdapSettings::Tls::ldaps;
  if (ldaps_url == want_ldaps) return Status::ok();
  return Status::error("directory " + settings.url +
                       (want_ldaps
                            ? ": the URL must start with ldaps:// for tls ldaps"
                            : ": the URL must start with ldap:// (ldaps:// needs tls ldaps)"));
}

Status set_session_options(LDAP* ld, const LdapSettings& settings) {
  int version = LDAP_VERSION3;
  timeval timeout{settings.timeout_seconds, 0};
  // Referrals (AD subtree searches return them) would make libldap bind anonymously elsewhere.
  if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
      ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
      ldap_set_option(ld, LDAP_OPT_RESTART, LDAP_OPT_ON) != LDAP_OPT_SUCCESS ||
      ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout) != LDAP_OPT_SUCCESS ||
      ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout) != LDAP_OPT_SUCCESS)
    return Status::error("directory " + settings.url + ": cannot set the LDAP options");
  return Status::ok();
}

std::string trust_store(const LdapSettings& settings) {
  return settings.ca_file.empty() ? "the system CA store" : settings.ca_file;
}

// What went wrong while connecting. GnuTLS-built libldap (Debian's) reports every failed
// certificate check, untrusted issuer and wrong host name alike, as "(unknown error code)".
std::string describe_connect_error(LDAP* ld, int rc, const LdapSettings& settings) {
  std::string text = describe_session_error(ld, rc);
  const std::string opaque = ": (unknown error code)";
  if (settings.tls != LdapSettings::Tls::none && text.ends_with(opaque)) {
    text.resize(text.size() - opaque.size());
    text += ": TLS handshake failed: the server's certificate is not trusted by " +
            trust_store(settings) + " or does not name the host in the URL";
  }
  return text;
}

// Per-session trust settings; NEWCTX builds this session's TLS context from them. An unreadable
// CA file is reported here, by name, rather than as a failed handshake later.
Status set_tls_options(LDAP* ld, const LdapSettings& settings) {
  if (settings.tls == LdapSettings::Tls::none) return Status::ok();
  int demand = LDAP_OPT_X_TLS_DEMAND;
  int is_server = 0;
  std::string prefix = "directory " + settings.url + ": ";
  if (!settings.ca_file.empty() && ::access(settings.ca_file.c_str(), R_OK) != 0)
    return Status::error(prefix + "CA file " + settings.ca_file + ": " + std::strerror(errno));
  if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS)
    return Status::error(prefix + "cannot require certificate checks");
  if (!settings.ca_file.empty() &&
      ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, settings.ca_file.c_str()) != LDAP_OPT_SUCCESS)
    return Status::error(prefix + "cannot use CA file " + settings.ca_file);
  if (ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS)
    return Status::error(prefix + "cannot load TLS trust from " + trust_store(settings) +
                         " (not PEM certificates?)");
  return Status::ok();
}

// StartTLS and the bind are where the TCP connection (and an ldaps handshake) actually happens.
Status start_tls(LDAP* ld, const LdapSettings& settings) {
  if (settings.tls != LdapSettings::Tls::starttls) return Status::ok();
  int rc = ldap_start_tls_s(ld, nullptr, nullptr);
  if (rc == LDAP_SUCCESS) return Status::ok();
  if (rc == LDAP_SERVER_DOWN)
    return Status::error("cannot connect to " + settings.url + ": " +
                         describe_connect_error(ld, rc, settings));
  return Status::error("directory " + settings.url +
                       ": StartTLS failed: " + describe_connect_error(ld, rc, settings));
}

Status bind(LDAP* ld, const LdapSettings& settings, int* bind_rc) {
  berval password{settings.bind_password.size(), const_cast<char*>(settings.bind_password.data())};
  int rc = ldap_sasl_bind_s(ld, settings.bind_dn.c_str(), LDAP_SASL_SIMPLE, &password, nullptr,
                            nullptr, nullptr);
  if (bind_rc) *bind_rc = rc;
  if (rc == LDAP_SUCCESS) return Status::ok();
  if (is_connection_error(rc))
    return Status::error("cannot connect to " + settings.url + ": " +
                         describe_connect_error(ld, rc, settings));
  std::string who = settings.bind_dn.empty() ? "anonymous" : settings.bind_dn;
  return Status::error("directory " + settings.url + ": bind as " + who +
                       " failed: " + describe_session_error(ld, rc));
}

}  // namespace

Result<LdapConnection> LdapConnection::open(const LdapSettings& settings, int* bind_rc) {
  if (auto ok = check_url_matches_tls(settings); !ok) return Error{ok.message()};
  HandleGuard guard;
  int rc = ldap_initialize(&guard.ld, settings.url.c_str());
  if (rc != LDAP_SUCCESS)
    return Error{"directory " + settings.url + ": invalid URL: " + ldap_err2string(rc)};
  for (auto step : {set_session_options, set_tls_options, start_tls}) {
    if (auto ok = step(guard.ld, settings); !ok) return Error{ok.message()};
  }
  if (auto ok = bind(guard.ld, settings, bind_rc); !ok) return Error{ok.message()};
  return LdapConnection(guard.release());
}

LdapConnection::LdapConnection(LdapConnection&& other) noexcept
    : ld_(std::exchange(other.ld_, nullptr)) {}

LdapConnection& LdapConnection::operator=(LdapConnection&& other) noexcept {
  if (this != &other) {
    if (ld_) ldap_unbind_ext(ld_, nullptr, nullptr);
    ld_ = std::exchange(other.ld_, nullptr);
  }
  return *this;
}

LdapConnection::~LdapConnection() {
  if (ld_) ldap_unbind_ext(ld_, nullptr, nullptr);
}

}  // namespace ps
