// DirectoryConnector over libldap: one bound connection, paged reads (ldap_read.cc) and pipelined
// asynchronous writes (ldap_write.cc).
#pragma once

#include <memory>

#include "connectors/ldap/ldap_connection.h"
#include "connectors/ldap/ldap_settings.h"
#include "connectors/ldap/ldap_write.h"
#include "core/directory_connector.h"

namespace ps {

class LdapConnector : public DirectoryConnector {
 public:
  // Connects, starts TLS as configured and binds.
  static Result<std::unique_ptr<LdapConnector>> connect(const LdapSettings& settings);

  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override;
  Status submit(std::uint64_t ticket, const Operation& op) override;
  Result<Completion> wait_completion() override;

 private:
  explicit LdapConnector(std::unique_ptr<LdapConnection> conn)
      : conn_(std::move(conn)), writer_(*conn_) {}
  std::unique_ptr<LdapConnection> conn_;
  LdapWriter writer_;
};

}  // namespace ps
