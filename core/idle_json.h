// The idle-disable rule's report as JSON, shared by `portalsync idle report --json` and
// GET /v1/idle-report: one array of {username, days_idle, baseline_source, baseline, disable_at,
// blocked_by} under `key`.
#pragma once

#include <vector>

#include "core/json.h"
#include "core/lifecycle.h"

namespace ps {

void idle_json(JsonWriter& w, const char* key, const std::vector<IdleAccount>& list);

}  // namespace ps
