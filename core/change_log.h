// The change log: one record per change portalsync makes or refuses. Directory operations are
// written as an intent (result "pending") before they are sent and get their outcome after, so a
// crash leaves a visible record that the next run marks "unknown" instead of a silent gap. Portal
// changes made by the rules (result done | blocked | failed) are written with the change itself.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"

namespace ps {

struct ChangeRecord {
  std::int64_t id = 0;  // assigned by the store when the intent is written
  std::int64_t run_id = 0;
  std::string at;         // UTC, ISO 8601
  std::string actor;      // "cli:root", "portalsyncd", a token name, "rule:idle", ...
  std::string operation;  // add | modify | move | rename | disable | enable | delete
  ObjectKind kind = ObjectKind::account;
  RowId subject_id = 0;
  std::string subject_name;  // name at the time of the change
  RowId unit_id = 0;         // the subject's unit at the time (the unit itself for a unit)
  std::string dn;
  std::string new_dn;
  std::string before_json;  // attribute values before (passwords never)
  std::string after_json;   // attribute values after
  std::string
      category;  // data change | unit transfer | status change | role change | custody | ...
  std::string reason;
  std::string result =
      "pending";  // pending | applied | failed | skipped | unknown | done | blocked
  std::string message;
  std::string
      correlation_id;  // ties directory operations to the portal change / run that caused them
};

struct ChangeOutcome {
  std::int64_t id = 0;
  std::string result;  // applied | failed | skipped
  std::string message;
  std::string at;
};

}  // namespace ps
