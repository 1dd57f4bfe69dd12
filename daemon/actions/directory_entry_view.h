// What the directory holds for an account or shared account (GET /v1/accounts/{username}/
// directory, the console's account page): its entry's DN, whether it can sign in, and the
// entitlement groups that list it. Read from the entry the engine linked to the portal row, so it
// shows what the directory has now, which may differ from the portal until the next sync.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/portal_store.h"
#include "daemon/actions/directory_account.h"

namespace ps::actions {

// enabled: may bind. disabled: portalsync's own lock or disable (a pending or disabled portal
// row). locked: the server locked it after failed sign-ins (unlock clears it).
enum class BindState { enabled, disabled, locked };
std::string_view to_string(BindState s);

struct DirectoryEntryView {
  std::string dn;
  BindState state = BindState::enabled;
  std::string locked_since;         // locked: the server's lockout time as it stores it
  std::vector<std::string> groups;  // DNs of the groups whose member holds the entry
};

// Connects and reads the linked entry (read_linked_entry: conflict when it is not in the
// directory yet, directory_unavailable when the directory cannot be read). Blocks.
ActionResult<DirectoryEntryView> read_directory_entry(PortalStore& store, const Config& config,
                                                      const DirectoryTarget& target);

}  // namespace ps::actions
