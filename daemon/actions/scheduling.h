// Reserved-effect changes (預約生效) as `portalsync schedule` and /v1/scheduled-changes make and
// cancel them: names resolved to ids, what can be checked before the change runs, the change log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/portal_store.h"
#include "daemon/actions/action_result.h"

namespace ps::actions {

struct ScheduleRequest {
  std::string username;
  std::string kind;       // disable | enable | transfer | set_role
  std::string unit_code;  // transfer: the unit the account moves to
  std::string role;       // set_role: the new role
  std::string reason;
  std::string at;  // ISO 8601 with an offset, or a date
};

// The change the request describes; bad_request names the field at fault (kind, to_unit, role,
// reason, at), not_found the account.
ActionResult<ScheduledChange> make_scheduled_change(const PortalSnapshot& portal,
                                                    const ScheduleRequest& request);

// Stamps `requested_by` on the rows and writes them in one transaction, each with its change-log
// record (a scheduled_change subject, in the account's unit); they come back with ids.
ActionResult<std::vector<ScheduledChange>> save_scheduled_changes(PortalStore& store,
                                                                  const PortalSnapshot& portal,
                                                                  std::vector<ScheduledChange> rows,
                                                                  const std::string& requested_by);

// Cancels a pending change, recorded in the change log with `actor`; not_found for an unknown id,
// conflict for one that is no longer pending.
ActionResult<std::string> cancel_scheduled_change(PortalStore& store, const PortalSnapshot& portal,
                                                  RowId id, const std::string& actor);

// What would block `change` if it ran now: a disable or a transfer of an account that still has
// handover duties (conflict, with what to do). Nothing for other kinds or a free account.
std::optional<ActionError> handover_block(const PortalSnapshot& portal,
                                          const ScheduledChange& change);

}  // namespace ps::actions
