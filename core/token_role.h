// What an admin API token may do (docs/admin-api.md, "Roles and unit scopes"): a role names a set
// of duties, an endpoint needs one duty. Kept apart from the HTTP code so the config reader, the
// server and the tests share one table.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace ps {

enum class TokenRole { monitor, auditor, operator_, account_admin, person_lookup, admin };

// What an endpoint needs. `any` is what every valid token has (GET /v1/whoami); `administer`
// only admin has, and is what an endpoint that did not say needs. `persons` (finding a person's
// accounts by national ID) only person_lookup has, admin included not.
enum class Duty { any, monitor, audit, operate, accounts, persons, administer };

std::string_view to_string(TokenRole role);
std::optional<TokenRole> parse_token_role(std::string_view name);
// "monitor, auditor, operator, account_admin, person_lookup, admin": for messages.
std::string_view token_role_names();

bool role_has(TokenRole role, Duty duty);
// The roles that have `duty`, least first: what a 403 tells the client to ask for.
std::vector<TokenRole> roles_with(Duty duty);

}  // namespace ps
