// Password set and unlock (`portalsync password set | unlock`, POST /v1/accounts/{username}/
// password | unlock): an account's password and lockout, written to the directory at once,
// outside any sync, each recorded in the change log without the password.
//
// The entry is found through the identity link the engine saved for the account (ps_links): its
// anchor (entryUUID / objectGUID) follows the entry through renames and moves, and it cannot
// point at an unmanaged entry that merely shares the username, which a search by uid or
// sAMAccountName could. The directory read that resolves it to a DN is the one every sync makes,
// with one attribute.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/directory_connector.h"
#include "core/model.h"
#include "core/password_policy.h"
#include "core/portal_store.h"
#include "daemon/actions/action_result.h"

namespace ps::actions {

// The portal row a password set or an unlock acts on: an account or a shared account.
struct DirectoryTarget {
  ObjectKind kind = ObjectKind::account;
  RowId id = 0;
  RowId unit_id = 0;
  std::string username;
  std::string status;
  bool locked = false;
};

ActionResult<DirectoryTarget> find_directory_target(const PortalSnapshot& portal,
                                                    const std::string& username);

// Why the target may not get a new password (it is disabled: conflict), or nothing.
std::optional<ActionError> password_refusal(const DirectoryTarget& target);
// Why the target may not be unlocked (the portal itself disabled or locked it), or nothing.
std::optional<ActionError> unlock_refusal(const DirectoryTarget& target);

// policy_refused listing every rule the password breaks (rule names in `rules`), or nothing.
std::optional<ActionError> policy_refusal(const PasswordPolicy& policy, std::string_view password,
                                          const std::string& username);

// The entry the engine linked to a target (by its anchor, kept in ps_links), read with the
// attributes asked for, among what that selective read brought: the units, and the groups with
// `member` narrowed to this entry.
struct LinkedEntry {
  DirectoryReadResult read;
  std::size_t index = 0;
  const DirectoryEntry& entry() const { return read.entries[index]; }
};

// conflict when the target has no link or its entry is gone from the base; directory_unavailable
// when the read fails.
ActionResult<LinkedEntry> read_linked_entry(PortalStore& store, DirectoryConnector& directory,
                                            const Config& config, const DirectoryTarget& target,
                                            std::vector<std::string> attributes);

// What is done to the entry once it is found.
struct DirectoryChange {
  std::string operation;  // the change log's operation
  std::string category;
  std::string after_json;
  std::string done;  // "password set", said after the username
  std::function<Status(DirectoryConnector&, const std::string& dn)> apply;
};

// `password` must outlive the change; it is only passed to the connector.
DirectoryChange password_change(std::string_view password, bool must_change);
DirectoryChange unlock_change();

// Connects, finds the linked entry and applies `change`, under the run lock so a sync starting
// meanwhile cannot mark the pending record interrupted: the intent (with `actor`) is written
// before the directory is touched and the outcome after, as for a sync. Answers
// "<username>: <done> (<dn>)". Blocks: call it on a thread that may.
ActionResult<std::string> change_in_directory(PortalStore& store, const Config& config,
                                              const DirectoryTarget& target,
                                              const DirectoryChange& change,
                                              const std::string& actor);

}  // namespace ps::actions
