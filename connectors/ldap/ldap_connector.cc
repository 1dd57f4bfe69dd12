#include "connectors/ldap/ldap_connector.h"

#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_lock_policy.h"
#include "connectors/ldap/ldap_password.h"
#include "connectors/ldap/ldap_read.h"
#include "connectors/ldap/ldap_selective_read.h"

namespace ps {

namespace {

LdapSettings without_password(LdapSettings settings) {
  settings.bind_password.clear();
  return settings;
}

}  // namespace

Result<std::unique_ptr<LdapConnector>> LdapConnector::connect(const LdapSettings& settings) {
  auto connection = LdapConnection::open(settings);
  if (!connection) return Error{connection.error()};
  return std::unique_ptr<LdapConnector>(new LdapConnector(settings, std::move(connection.value())));
}

LdapConnector::LdapConnector(const LdapSettings& settings, LdapConnection connection)
    : settings_(without_password(settings)),
      connection_(std::move(connection)),
      writer_(connection_.handle(), settings_) {}

Result<DirectoryReadResult> LdapConnector::read_subtree(const ReadSpec& spec) {
  return ps::read_subtree(connection_.handle(), spec, settings_);
}

Result<DirectoryReadResult> LdapConnector::read_selected(const SelectiveReadSpec& spec) {
  return read_selected_entries(connection_.handle(), spec, settings_);
}

Result<DirectoryReadResult> LdapConnector::read_units(const SelectiveReadSpec& spec) {
  return read_unit_entries(connection_.handle(), spec, settings_);
}

Status LdapConnector::submit(std::uint64_t ticket, const Operation& op) {
  return writer_.submit(ticket, op);
}

Result<Completion> LdapConnector::wait_completion() { return writer_.wait_completion(); }

Status LdapConnector::set_password(const std::string& dn, std::string_view password,
                                   bool must_change) {
  return set_ldap_password(connection_.handle(), settings_, dn, password, must_change);
}

Status LdapConnector::unlock(const std::string& dn) {
  return unlock_ldap_account(connection_.handle(), settings_, dn);
}

Result<LockPolicyReport> LdapConnector::prepare_lock_policy(const LockPolicySpec& spec) {
  if (settings_.flavor == Flavor::ad) return LockPolicyReport{};
  return prepare_ldap_lock_policy(connection_.handle(), settings_, spec);
}

Status LdapConnector::ping() {
  char no_attributes[] = LDAP_NO_ATTRS;
  char* attributes[] = {no_attributes, nullptr};
  timeval timeout{settings_.timeout_seconds, 0};
  LDAPMessage* result = nullptr;
  int rc = ldap_search_ext_s(connection_.handle(), "", LDAP_SCOPE_BASE, "(objectClass=*)",
                             attributes, 0, nullptr, nullptr, &timeout, 1, &result);
  ldap_msgfree(result);
  if (rc == LDAP_SUCCESS) return Status::ok();
  return Status::error("ping " + settings_.url + ": " +
                       describe_session_error(connection_.handle(), rc));
}

}  // namespace ps
