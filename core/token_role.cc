#include "core/token_role.h"

#include <array>
#include <utility>

#include "core/enum_names.h"

namespace ps {

namespace {

constexpr std::array<std::pair<TokenRole, std::string_view>, 6> kNames = {{
    {TokenRole::monitor, "monitor"},
    {TokenRole::auditor, "auditor"},
    {TokenRole::operator_, "operator"},
    {TokenRole::account_admin, "account_admin"},
    {TokenRole::person_lookup, "person_lookup"},
    {TokenRole::admin, "admin"},
}};

}  // namespace

std::string_view to_string(TokenRole role) { return name_in(kNames, role); }

std::optional<TokenRole> parse_token_role(std::string_view name) {
  return value_in<TokenRole>(kNames, name);
}

std::string_view token_role_names() {
  return "monitor, auditor, operator, account_admin, person_lookup, admin";
}

// auditor and operator add to monitor; account_admin does not: an agency's account administrator
// manages its accounts and has no business with the service's health or the run queue.
// person_lookup is a sign-on service's role and has nothing else; no other role, admin included,
// searches people by national ID, so that search stays with the one service that needs it.
bool role_has(TokenRole role, Duty duty) {
  switch (duty) {
    case Duty::any:
      return true;
    case Duty::monitor:
      return role != TokenRole::account_admin && role != TokenRole::person_lookup;
    case Duty::audit:
      return role == TokenRole::auditor || role == TokenRole::admin;
    case Duty::operate:
      return role == TokenRole::operator_ || role == TokenRole::admin;
    case Duty::accounts:
      return role == TokenRole::account_admin || role == TokenRole::admin;
    case Duty::persons:
      return role == TokenRole::person_lookup;
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
