#include "core/person_accounts.h"

#include <algorithm>
#include <tuple>

#include "core/agency.h"
#include "core/mapping.h"
#include "core/portal_lookup.h"

namespace ps {

namespace {

// enabled 0, pending 1, disabled 2; a status this build does not know last.
int chooser_rank(std::string_view status) {
  auto s = parse_account_status(status);
  if (!s) return 3;
  switch (*s) {
    case AccountStatus::enabled:
      return 0;
    case AccountStatus::pending:
      return 1;
    case AccountStatus::disabled:
      return 2;
  }
  return 3;
}

}  // namespace

std::vector<PersonAccount> person_accounts(const PortalSnapshot& portal,
                                           std::string_view national_id) {
  std::vector<PersonAccount> out;
  auto wanted = person_key_input(national_id);
  if (wanted.empty()) return out;
  Agencies agencies(portal);
  for (const auto& a : portal.accounts) {
    if (person_key_input(a.national_id()) != wanted) continue;
    out.push_back({&a, find_unit(portal, a.org_unit_id),
                   find_unit(portal, agencies.agency_of(a.org_unit_id))});
  }
  std::sort(out.begin(), out.end(), [](const PersonAccount& x, const PersonAccount& y) {
    return std::tuple(chooser_rank(x.account->status()), x.account->username()) <
           std::tuple(chooser_rank(y.account->status()), y.account->username());
  });
  return out;
}

bool plausible_national_id(std::string_view text) {
  auto id = person_key_input(text);
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace ps
