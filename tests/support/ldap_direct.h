// In-process libldap for the harness's own chores on a test slapd (is it answering yet? add the
// suffix entry), where forking a command-line tool would cost more than the test itself. Tests
// read and write through LdapClient (the real tools) or the connector under test, not this.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace ps::testing {

using AttributeValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

// True when an anonymous root DSE read at url succeeds within a second.
bool ldap_answers(const std::string& url);

// Binds (simple) and adds one entry.
Status ldap_add_entry(const std::string& url, const std::string& bind_dn,
                      const std::string& password, const std::string& dn,
                      const AttributeValues& attributes);

}  // namespace ps::testing
