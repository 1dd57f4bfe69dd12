// Objects the directory keeps refusing, and objects whose operations were not applied yet. A row
// whose operations fail in `after` runs in a row is quarantined: its operations are no longer
// sent (they would fail again and fill the change log) until an operator releases it; every other
// object keeps syncing. An object with an operation skipped, held or of unknown outcome is
// tracked as pending (failures 0): scoped runs plan every tracked object that is not quarantined,
// so the journal moving on never forgets it. A run in which all of its operations succeed, or that
// plans it and finds nothing to do, forgets it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/change_log.h"
#include "core/model.h"
#include "core/plan.h"

namespace ps {

struct ApplyReport;  // core/apply.h (which includes this header through portal_store.h)

struct QuarantineEntry {
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;
  std::string subject;  // name at the last failure
  int failures = 0;     // failed runs in a row; 0: pending (not applied yet, not failed)
  std::string first_failed_at;
  std::string last_failed_at;
  std::string last_error;  // the directory's message, or why the operation was not sent
  bool quarantined = false;
};

struct QuarantinePolicy {
  int after = 5;  // failed runs in a row; 0: never quarantine
};

// Holds the operations of quarantined objects (and so their dependants), naming the reason.
// Returns how many operations were held.
std::size_t hold_quarantined(Plan& plan, const std::vector<QuarantineEntry>& entries);

// The tracking after a run: one more failure for each object with a failed operation
// (quarantined on reaching policy.after); pending for an object with an operation skipped, held
// or unknown and none failed; forgotten for each object whose operations all succeeded and for
// each object the run planned without an operation. Quarantined objects stay as they are.
// Objects without a portal row id (the base, the groups OU) are not tracked.
std::vector<QuarantineEntry> track_failures(std::vector<QuarantineEntry> entries, const Plan& plan,
                                            const ApplyReport& report,
                                            const QuarantinePolicy& policy, const std::string& now);

// The change-log record of `e` being quarantined (after its failed runs) or released by hand,
// filed under `unit_id`, the object's unit at the time.
ChangeRecord quarantine_record(const QuarantineEntry& e, bool released, RowId unit_id,
                               const std::string& actor, const std::string& at);

// The unit the plan files the object under (0 when the plan has no operation on it).
RowId planned_unit(const Plan& plan, ObjectKind kind, RowId portal_id);

}  // namespace ps
