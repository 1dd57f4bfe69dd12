// Turning libldap result codes into the messages the engine shows: the standard text of the
// code, then the server's diagnostic when it gave one ("Invalid credentials: ..."). Neither part
// can contain what the client sent, so no password ever reaches a message.
#pragma once

#include <ldap.h>

#include <string>

#include "core/result.h"

namespace ps {

// "<ldap_err2string(rc)>" or "<ldap_err2string(rc)>: <diagnostic>"
std::string describe_ldap_result(int rc, const char* diagnostic);

// The same for a failure libldap recorded on the session (connect, TLS, synchronous calls):
// reads LDAP_OPT_DIAGNOSTIC_MESSAGE from ld.
std::string describe_session_error(LDAP* ld, int rc);

// True for libldap's client-side codes meaning the connection is gone or unreachable.
bool is_connection_error(int rc);

// What kind of failure rc is, for callers that decide on it: a lost or unreachable connection is
// unavailable before a write was sent and outcome_unknown after (it may have taken effect); no
// such object is not_found; any other answer is the server's refusal.
StatusCode status_code_of(int rc, bool write_sent);

}  // namespace ps
