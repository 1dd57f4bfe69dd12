// `portalsync schedule add --batch FILE`: the CSV a person (or Excel) writes, with the header
// username,kind,target_unit,target_role,reason,effective_at, read into scheduled changes. Pure:
// the caller reads the file, so the parser can be tested and fuzzed on text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace ps::actions {

// One CSV line's fields: RFC 4180 quoting ("" inside quotes is a quote), '\r' dropped.
std::vector<std::string> split_csv_line(std::string_view line);

// Every row checked like `schedule add` checks one (make_scheduled_change). Errors name `name` and
// the line ("FILE:3: ..."), one per line, and end with "nothing was written"; blank lines are
// skipped; a UTF-8 BOM before the header is allowed.
Result<std::vector<ScheduledChange>> parse_batch_csv(const PortalSnapshot& portal,
                                                     std::string_view text,
                                                     const std::string& name);

}  // namespace ps::actions
