// The kind of failure an LDAP result code is: callers (the API host, the admin API's password
// and unlock) decide on it, so a write whose connection dropped is never reported as refused.
#include <catch2/catch.hpp>

#include "connectors/ldap/ldap_error.h"

using ps::status_code_of;
using ps::StatusCode;

TEST_CASE("ldap result codes map to status codes: a dropped write is outcome unknown",
          "[ldap][codes]") {
  CHECK(status_code_of(LDAP_SERVER_DOWN, true) == StatusCode::outcome_unknown);
  CHECK(status_code_of(LDAP_TIMEOUT, true) == StatusCode::outcome_unknown);
  CHECK(status_code_of(LDAP_SERVER_DOWN, false) == StatusCode::unavailable);
  CHECK(status_code_of(LDAP_CONNECT_ERROR, false) == StatusCode::unavailable);
  CHECK(status_code_of(LDAP_NO_SUCH_OBJECT, true) == StatusCode::not_found);
  CHECK(status_code_of(LDAP_CONSTRAINT_VIOLATION, true) == StatusCode::refused);
  CHECK(status_code_of(LDAP_INSUFFICIENT_ACCESS, false) == StatusCode::refused);
}
