#include "core/idle_json.h"

namespace ps {

void idle_json(JsonWriter& w, const char* key, const std::vector<IdleAccount>& list) {
  w.key(key).begin_array();
  for (const auto& a : list)
    w.begin_object()
        .key("username")
        .value(a.username)
        .key("agency")
        .value(a.agency)
        .key("days_idle")
        .value(static_cast<std::int64_t>(a.days_idle))
        .key("baseline_source")
        .value(a.baseline_source)
        .key("baseline")
        .value(a.baseline)
        .key("disable_at")
        .value(format_utc(a.disable_at))
        .key("blocked_by")
        .value(a.blocked_by)
        .end_object();
  w.end_array();
}

}  // namespace ps
