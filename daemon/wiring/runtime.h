// Turns a validated Config into the parts the engine runs on: the portal store (SOCI), the
// directory connector (libldap) and the engine options. The only place that knows which
// implementation backs which core interface.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "core/directory_connector.h"
#include "core/engine.h"
#include "core/password_policy.h"
#include "core/portal_store.h"

namespace ps {

Result<std::unique_ptr<PortalStore>> open_portal_store(const Config& config);
// The same for a portalsyncd node: the server ends the session when it stays silent inside a
// transaction for twice the lease, so a node cut off mid-transaction (holding the change log's
// lock) cannot keep the node that took over from writing.
Result<std::unique_ptr<PortalStore>> open_node_store(const Config& config);
Result<std::unique_ptr<DirectoryConnector>> connect_directory(const Config& config);
EngineOptions engine_options(const Config& config, std::string actor);

// The passwords section with its common-password list read; fails naming the list file.
Result<PasswordPolicy> password_policy(const Config& config);

// "cli:<login name>" for the command-line tool.
std::string cli_actor();

}  // namespace ps
