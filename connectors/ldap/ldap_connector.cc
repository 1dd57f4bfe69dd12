#include "connectors/ldap/ldap_connector.h"

#include "connectors/ldap/ldap_read.h"

namespace ps {

Result<std::unique_ptr<LdapConnector>> LdapConnector::connect(const LdapSettings& settings) {
  auto conn = LdapConnection::open(settings);
  if (!conn) return Error{conn.error()};
  return std::unique_ptr<LdapConnector>(new LdapConnector(std::move(conn.value())));
}

Result<DirectoryReadResult> LdapConnector::read_subtree(const ReadSpec& spec) {
  return read_subtree_paged(*conn_, spec);
}

Status LdapConnector::submit(std::uint64_t ticket, const Operation& op) {
  return writer_.submit(ticket, op);
}

Result<Completion> LdapConnector::wait_completion() { return writer_.wait_completion(); }

}  // namespace ps
