// The filters `portalsync audit query` and GET /v1/audit share, by the same names (the CLI's
// options without "--"): both refuse a name or a value they do not know instead of returning
// nothing, so a typo never looks like "no records".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/model.h"
#include "core/result.h"

namespace ps {

// account, unit, subunits, agency, with_subagencies, actor, category, result, from, to, after,
// limit.
const std::vector<std::string>& audit_filter_names();
const std::vector<std::string>& audit_categories();
const std::vector<std::string>& audit_results();

// The local zone's offset from UTC at a moment: a bare date means local midnight there.
using UtcOffset = std::function<std::chrono::minutes(TimePoint)>;

// "2026-11-01" -> local midnight in the zone, as UTC; a time with an offset -> that moment.
std::optional<std::string> audit_time(const std::string& text, const UtcOffset& offset);

// The id of an account the portal no longer has, by the name the change log knew it by (the
// store's ChangeLogAudit::former_account_id); nullopt when unknown.
using FormerAccount = std::function<Result<std::optional<RowId>>(const std::string& username)>;

// Whether the filters name an account, a unit or an agency, which the portal's rows resolve: only
// then need they be loaded.
bool audit_filter_names_rows(const std::map<std::string, std::string>& params);

// Builds the filter from name -> value (subunits, with_subagencies: present or not). An account or
// unit is found in the portal by username or code; an account gone from the portal through
// `former`. Fails naming the parameter for an unknown name, an unknown category or result, a bad
// time, id or limit. limit stays filter.limit when not given.
Result<AuditFilter> build_audit_filter(const std::map<std::string, std::string>& params,
                                       const PortalSnapshot& portal, const UtcOffset& offset,
                                       const FormerAccount& former = {});

}  // namespace ps
