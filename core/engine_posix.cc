// The engine's side of POSIX identities (core/posix.h): numbers are assigned and recorded before
// any plan uses them, so a number written to the directory is already the row's for good.
#include "core/engine.h"

#include "core/agency_groups.h"

namespace ps {

Status SyncEngine::number_posix_rows(PortalSnapshot& portal, bool record) {
  if (!options_.mapping.posix.enabled) return Status::ok();
  auto assignment = assign_posix_ids(portal, options_.mapping.posix,
                                     agency_groups(portal, options_.mapping.agency_groups));
  // The planner rejects these rows with the same reason, naming each in the plan.
  for (const auto& problem : assignment.problems) log_.log(LogLevel::error, problem);
  if (assignment.assigned.empty()) return Status::ok();
  if (record)
    if (auto st = store_.save_posix_ids(assignment.assigned, format_utc(clock_.now())); !st)
      return st;
  log_.log(LogLevel::info, std::to_string(assignment.assigned.size()) + " POSIX numbers " +
                               (record ? "assigned" : "would be assigned"));
  portal.posix_ids.insert(portal.posix_ids.end(), assignment.assigned.begin(),
                          assignment.assigned.end());
  return Status::ok();
}

}  // namespace ps
