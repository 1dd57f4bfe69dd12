#include "connectors/ldap/ldap_error.h"

namespace ps {

std::string describe_ldap_result(int rc, const char* diagnostic) {
  std::string text = ldap_err2string(rc);
  if (diagnostic && *diagnostic) {
    text += ": ";
    text += diagnostic;
  }
  return text;
}

std::string describe_session_error(LDAP* ld, int rc) {
  char* diagnostic = nullptr;
  if (ld) ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic);
  std::string text = describe_ldap_result(rc, diagnostic);
  if (diagnostic) ldap_memfree(diagnostic);
  return text;
}

bool is_connection_error(int rc) {
  return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT;
}

StatusCode status_code_of(int rc, bool write_sent) {
  if (is_connection_error(rc))
    return write_sent ? StatusCode::outcome_unknown : StatusCode::unavailable;
  if (rc == LDAP_NO_SUCH_OBJECT) return StatusCode::not_found;
  return StatusCode::refused;
}

}  // namespace ps
