// One person's accounts, found by national ID, as a single sign-on account chooser needs them
// (POST /v1/persons/accounts, docs/admin-api.md): after an agency transfer a person holds an old,
// disabled account and a new one, so one national ID can have several.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace ps {

struct PersonAccount {
  const Account* account = nullptr;
  const OrgUnit* unit = nullptr;    // null when the portal lacks the account's unit
  const OrgUnit* agency = nullptr;  // its agency (core/agency.h); null as unit
};

// The accounts whose national ID is `national_id` (compared as the person key normalises it:
// surrounding spaces dropped, letters in upper case), enabled first, then pending, then
// disabled, by username within each. An empty ID matches nothing.
std::vector<PersonAccount> person_accounts(const PortalSnapshot& portal,
                                           std::string_view national_id);

// Whether `text` may be a national ID: 1 to 32 ASCII letters and digits once normalised. Only
// says yes or no: a message must never repeat the ID.
bool plausible_national_id(std::string_view text);

}  // namespace ps
