// The change log: one record per change portalsync makes or refuses. Directory operations are
// written as an intent (result "pending") before they are sent and get their outcome after, so a
// crash leaves a visible record that the next run marks "unknown" instead of a silent gap. Portal
// changes made by the rules (result done | blocked | failed) are written with the change itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace ps {

// What a record is about: a portal object synced to the directory, or one of portalsync's own
// decisions (a scheduled change, a held run), which have ids of their own.
enum class SubjectKind { org_unit, account, shared_account, group, scheduled_change, hold };
std::string_view to_string(SubjectKind k);
std::optional<SubjectKind> parse_subject_kind(std::string_view s);
SubjectKind subject_kind(ObjectKind k);

struct ChangeRecord {
  std::int64_t id = 0;  // assigned by the store when the intent is written
  std::int64_t run_id = 0;
  std::string at;         // UTC, ISO 8601
  std::string actor;      // "cli:root", "portalsyncd", a token name, "rule:idle", ...
  std::string operation;  // add | modify | move | rename | disable | enable | delete
  SubjectKind kind = SubjectKind::account;
  RowId subject_id = 0;
  std::string subject_name;  // name at the time of the change
  RowId unit_id = 0;         // the subject's unit at the time (the unit itself for a unit)
  RowId from_unit_id = 0;    // a transfer: the unit it left (0 otherwise)
  // The agency of unit_id when the record was written (core/agency.h), filled by the store as it
  // appends; 0 while the portal marks no unit, or for a unit it does not have.
  RowId agency_id = 0;
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
      correlation_id;      // ties directory operations to the portal change / run that caused them
  std::int64_t fence = 0;  // the writing node's fencing number (core/leader_lease.h); 0: one node
};

struct ChangeOutcome {
  std::int64_t id = 0;
  std::string result;  // applied | failed | skipped
  std::string message;
  std::string at;
};

}  // namespace ps
