#include "daemon/wiring/runtime.h"

#include <pwd.h>
#include <unistd.h>

#include "config/password_list.h"
#include "connectors/apihost/apihost_connector.h"
#include "connectors/ldap/ldap_connector.h"
#include "daemon/wiring/ldap_settings.h"
#include "daemon/wiring/person_key.h"
#include "store/database.h"
#include "store/database_failure.h"
#include "store/dialect.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::unique_ptr<PortalStore>> open_portal_store(const Config& config) {
  auto store = SociPortalStore::open(config.portal.database, config.audit.key);
  if (!store) return Error{store.error(), store.code()};
  return std::unique_ptr<PortalStore>(std::move(store.value()));
}

Result<std::unique_ptr<PortalStore>> open_node_store(const Config& config) {
  auto store = SociPortalStore::open(config.portal.database, config.audit.key);
  if (!store) return Error{store.error(), store.code()};
  auto& sql = store.value()->session();
  try {
    dialect_of(sql).end_session_when_idle_in_transaction(sql, 2 * config.daemon.lease_seconds);
  } catch (const std::exception& e) {
    return Error{"portal database: cannot limit idle transactions: " + database_error(e),
                 database_failure_code(e)};
  }
  return std::unique_ptr<PortalStore>(std::move(store.value()));
}

Result<std::unique_ptr<DirectoryConnector>> connect_directory(const Config& config) {
  const auto& d = config.directory;
  if (d.connector == "apihost") {
    ApihostSettings a;
    a.url = d.apihost.url;
    a.ca_file = d.apihost.ca_file;
    a.client_cert = d.apihost.client_cert;
    a.client_key = d.apihost.client_key;
    a.token = d.apihost.token;
    a.timeout_seconds = d.apihost.timeout_seconds;
    auto connector = ApihostConnector::connect(a);
    if (!connector) return Error{connector.error()};
    return std::unique_ptr<DirectoryConnector>(std::move(connector.value()));
  }
  auto connector = LdapConnector::connect(ldap_settings(d));
  if (!connector) return Error{connector.error()};
  return std::unique_ptr<DirectoryConnector>(std::move(connector.value()));
}

EngineOptions engine_options(const Config& config, std::string actor) {
  EngineOptions o;
  o.mapping.flavor = config.directory.flavor == "ad" ? Flavor::ad : Flavor::openldap;
  o.mapping.base_dn = config.directory.base_dn;
  o.mapping.national_id_attribute = config.directory.national_id_attribute;
  o.mapping.person_key_attribute = config.directory.person_key.attribute;
  if (!o.mapping.person_key_attribute.empty())
    o.mapping.person_key = person_key_function(config.directory.person_key.key);
  o.mapping.groups_dn = config.directory.groups_dn;
  o.mapping.agency_groups = config.directory.agency_groups;
  o.mapping.disabled_leave_groups = config.directory.disabled_leave_groups;
  o.mapping.posix = config.directory.posix;
  if (o.mapping.flavor == Flavor::openldap)
    o.mapping.lock_policy_dn = config.directory.lock_policy_dn.empty()
                                   ? default_lock_policy_dn(config.directory.base_dn)
                                   : config.directory.lock_policy_dn;
  o.mapping.upn_suffix = config.directory.upn_suffix;
  if (!o.mapping.upn_suffix.empty() && o.mapping.upn_suffix.front() == '@')
    o.mapping.upn_suffix.erase(0, 1);
  if (o.mapping.upn_suffix.empty()) o.mapping.upn_suffix = dns_domain_of(config.directory.base_dn);
  o.window = static_cast<std::size_t>(config.sync.window);
  o.actor = std::move(actor);
  o.idle = config.policies.idle_disable;
  o.guard.max_disables = static_cast<std::size_t>(config.sync.max_disables);
  o.guard.max_disable_percent = config.sync.max_disable_percent;
  o.guard.percent_floor = static_cast<std::size_t>(config.sync.guard_floor);
  o.quarantine.after = config.sync.quarantine_after;
  return o;
}

Result<PasswordPolicy> password_policy(const Config& config) {
  const auto& p = config.passwords;
  auto common = read_common_passwords(p.common_list);
  if (!common)
    return Error{"passwords.common_list: " + common.error() +
                 " (the list of common passwords; name another in the configuration)"};
  PasswordPolicy policy;
  policy.min_length = p.min_length;
  policy.min_classes = p.min_classes;
  policy.forbid_username = p.forbid_username;
  policy.max_run = p.max_run;
  policy.common = std::move(common.value());
  return policy;
}

std::string cli_actor() {
  const passwd* pw = getpwuid(getuid());
  return std::string("cli:") + (pw ? pw->pw_name : std::to_string(getuid()));
}

}  // namespace ps
