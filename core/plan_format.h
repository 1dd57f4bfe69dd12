// A plan for people (one line per operation, then rejections and warnings) and as JSON
// (`portalsync plan --json`: {"base_dn", "operations": [...], "rejected": [...], "warnings",
// "summary"}).
#pragma once

#include <string>

#include "core/plan.h"

namespace ps {

std::string plan_to_text(const Plan& plan);
std::string plan_to_json(const Plan& plan);
// The plan as an LDIF change file (RFC 2849) that ldapmodify -a can apply: for review, for
// applying by hand, and as the benchmark's yardstick. Held operations are left out.
std::string plan_to_ldif(const Plan& plan);

}  // namespace ps
