// The DirectoryConnector for LDAP servers (OpenLDAP, Active Directory) over libldap: one bound
// connection, used for paged subtree reads and pipelined writes. Not thread-safe. After the
// connection is lost every call fails; connect again for a new connector.
#pragma once

#include <cstdint>
#include <memory>

#include "connectors/ldap/ldap_connection.h"
#include "connectors/ldap/ldap_settings.h"
#include "connectors/ldap/ldap_write.h"
#include "core/directory_connector.h"

namespace ps {

class LdapConnector : public DirectoryConnector {
 public:
  // Connects and binds (see LdapConnection::open for the error messages).
  static Result<std::unique_ptr<LdapConnector>> connect(const LdapSettings& settings);

  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override;
  Result<DirectoryReadResult> read_selected(const SelectiveReadSpec& spec) override;
  bool reads_units_apart() const override { return true; }
  Result<DirectoryReadResult> read_units(const SelectiveReadSpec& spec) override;
  Status submit(std::uint64_t ticket, const Operation& op) override;
  Result<Completion> wait_completion() override;
  Status set_password(const std::string& dn, std::string_view password, bool must_change) override;
  Status unlock(const std::string& dn) override;
  Result<LockPolicyReport> prepare_lock_policy(const LockPolicySpec& spec) override;

  // Reads the root DSE: is the server still answering on this connection?
  Status ping();
  // Operations submitted and not yet returned by wait_completion().
  std::size_t outstanding() const { return writer_.outstanding(); }

 private:
  LdapConnector(const LdapSettings& settings, LdapConnection connection);

  LdapSettings settings_;  // without the password: it is only needed for the bind
  LdapConnection connection_;
  LdapWriter writer_;
};

}  // namespace ps
