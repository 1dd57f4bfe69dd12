#include "core/change_log.h"

namespace ps {

std::string_view to_string(SubjectKind k) {
  switch (k) {
    case SubjectKind::org_unit:
      return "org_unit";
    case SubjectKind::account:
      return "account";
    case SubjectKind::shared_account:
      return "shared_account";
    case SubjectKind::group:
      return "group";
    case SubjectKind::scheduled_change:
      return "scheduled_change";
    case SubjectKind::hold:
      return "hold";
  }
  return "?";
}

std::optional<SubjectKind> parse_subject_kind(std::string_view s) {
  for (auto k : {SubjectKind::org_unit, SubjectKind::account, SubjectKind::shared_account,
                 SubjectKind::group, SubjectKind::scheduled_change, SubjectKind::hold})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

// The directory kinds keep their names, so records written before scheduled changes and holds had
// kinds of their own read (and hash) as they were written.
SubjectKind subject_kind(ObjectKind k) {
  switch (k) {
    case ObjectKind::org_unit:
      return SubjectKind::org_unit;
    case ObjectKind::account:
      return SubjectKind::account;
    case ObjectKind::shared_account:
      return SubjectKind::shared_account;
    case ObjectKind::group:
      return SubjectKind::group;
  }
  return SubjectKind::account;
}

}  // namespace ps
