// A plan for people (one line per operation, then rejections and warnings) and as JSON
// (`portalsync plan --json`: {"base_dn", "operations": [...], "rejected": [...], "warnings",
// "summary"}).
#pragma once

#include <string>

#include "core/plan.h"

namespace ps {

std::string plan_to_text(const Plan& plan);
std::string plan_to_json(const Plan& plan);

}  // namespace ps
