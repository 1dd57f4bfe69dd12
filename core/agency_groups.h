// directory.agency_groups: one group per agency (a unit the portal marks is_agency) whose members
// are the agency's own enabled accounts, those of the agencies below it not included, so a web
// application authorizes "the people of 民政局" by group. Kept as the entitlement groups are
// (under groups_dn, a gidNumber with directory.posix), each standing for a System whose id is its
// agency's id negated: links, POSIX numbers and change-log records key it apart from the portal's
// systems, whose ids are positive (docs/directory-mapping.md).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace ps {

inline constexpr std::string_view kAgencyCodePlaceholder = "{code}";

// The group's System id for an agency unit, and back.
inline RowId agency_group_id(RowId agency_unit_id) { return -agency_unit_id; }
inline bool is_agency_group_id(RowId system_id) { return system_id < 0; }

// The template with {code} replaced by the agency's code.
std::string agency_group_name(std::string_view name_template, std::string_view code);

// One group per marked unit, in unit-id order (none when the template is empty or no unit is
// marked): code and name are the agency's.
std::vector<System> agency_groups(const PortalSnapshot& portal, std::string_view name_template);

// Agency group id -> ids of its members: the enabled accounts among `accounts` (indexes into
// portal.accounts) whose agency (core/agency.h) is the group's.
std::unordered_map<RowId, std::vector<RowId>> agency_group_members(
    const PortalSnapshot& portal, const std::vector<std::size_t>& accounts);

}  // namespace ps
