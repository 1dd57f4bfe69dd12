#include "core/token_role.h"

#include <array>
#include <utility>

#include "core/enum_names.h"

namespace ps {

namespace {

constexpr std::array<std::pair<TokenRole, std::string_view>, 5> kNames = {{
    {TokenRole::monitor, "monitor"},
    {TokenRole::auditor, "auditor"},
    {TokenRole::operator_, "operator"},
    {TokenRole::account_admin, "account_admin"},
    {TokenRole::admin, "admin"},
}};

}  // namespace

std::string_view to_string(TokenRole role) { return name_in(kNames, role); }

std::optional<TokenRole> parse_token_role(std::string_view name) {
  return value_in<TokenRole>(kNames, name);
}

std::string_view token_role_names() { return "monitor, auditor, operator, account_admin, admin"; }

// auditor and operator add to monitor; account_admin does not: an agency's account administrator
// manages its accounts and has no business with the service's health or the run queue.
bool role_has(TokenRole role, Duty duty) {
  switch (duty) {
    case Duty::any:
      return true;
    case Duty::monitor:
      return role != TokenRole::account_admin;
    case Duty::audit:
      return role == TokenRole::auditor || role == TokenRole::admin;
    case Duty::operate:
      return role == TokenRole::operator_ || role == TokenRole::admin;
    case Duty::accounts:
      return role == TokenRole::account_admin || role == TokenRole::admin;
    case Duty::administer:
      return role == TokenRole::admin;
  }
  return false;
}

std::vector<TokenRole> roles_with(Duty duty) {
  std::vector<TokenRole> out;
  for (const auto& [role, name] : kNames)
    if (role_has(role, duty)) out.push_back(role);
  return out;
}

}  // namespace ps
