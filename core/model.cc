#include "core/model.h"

#include <utility>

#include "core/enum_names.h"

namespace ps {

std::string_view to_string(AccountStatus s) {
  switch (s) {
    case AccountStatus::pending:
      return "pending";
    case AccountStatus::enabled:
      return "enabled";
    case AccountStatus::disabled:
      return "disabled";
  }
  return "?";
}

std::string_view to_string(Role r) {
  switch (r) {
    case Role::user:
      return "user";
    case Role::agency_admin:
      return "agency_admin";
    case Role::system_admin:
      return "system_admin";
  }
  return "?";
}

std::string_view to_string(ObjectKind k) {
  switch (k) {
    case ObjectKind::org_unit:
      return "org_unit";
    case ObjectKind::account:
      return "account";
    case ObjectKind::shared_account:
      return "shared_account";
    case ObjectKind::group:
      return "group";
  }
  return "?";
}

std::optional<AccountStatus> parse_account_status(std::string_view s) {
  if (s == "pending") return AccountStatus::pending;
  if (s == "enabled") return AccountStatus::enabled;
  if (s == "disabled") return AccountStatus::disabled;
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view s) {
  if (s == "user") return Role::user;
  if (s == "agency_admin") return Role::agency_admin;
  if (s == "system_admin") return Role::system_admin;
  return std::nullopt;
}

std::optional<ObjectKind> parse_object_kind(std::string_view s) {
  for (auto k :
       {ObjectKind::org_unit, ObjectKind::account, ObjectKind::shared_account, ObjectKind::group})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

namespace {

constexpr std::pair<ChangeKind, std::string_view> kChangeKindNames[] = {
    {ChangeKind::disable, "disable"},
    {ChangeKind::enable, "enable"},
    {ChangeKind::transfer, "transfer"},
    {ChangeKind::set_role, "set_role"},
};

constexpr std::pair<ChangeState, std::string_view> kChangeStateNames[] = {
    {ChangeState::pending, "pending"},     {ChangeState::done, "done"},
    {ChangeState::blocked, "blocked"},     {ChangeState::failed, "failed"},
    {ChangeState::cancelled, "cancelled"}, {ChangeState::unknown, "unknown"},
};

}  // namespace

std::string_view to_string(ChangeKind k) { return name_in(kChangeKindNames, k); }

std::optional<ChangeKind> parse_change_kind(std::string_view s) {
  return value_in<ChangeKind>(kChangeKindNames, s);
}

std::string_view to_string(ChangeState s) { return name_in(kChangeStateNames, s); }

std::optional<ChangeState> parse_change_state(std::string_view s) {
  return value_in<ChangeState>(kChangeStateNames, s);
}

}  // namespace ps
