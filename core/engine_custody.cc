// The engine's custody watch (core/custody_breach.h): a portal-side disable or transfer that
// leaves shared accounts without a custodian, or a unit without an agency admin, applies; the
// run names it, records it once when it starts and once when it ends, and remembers it.
#include "core/engine.h"

#include <algorithm>

namespace ps {

void SyncEngine::watch_custody(SyncReport& report, const PortalSnapshot& portal) {
  auto watch = store_.load_custody_watch();
  if (!watch) {
    log_.log(LogLevel::error, "custody breaches not checked: " + watch.error());
    return;
  }
  // A partial snapshot lacks most accounts: it cannot tell a breach from an account not loaded.
  if (portal.partial) {
    report.breaches = std::move(watch->open);
    return;
  }
  auto at = format_utc(clock_.now());
  auto changes = track_breaches(watch->open, custody_breaches(portal, watch->admin_units), at);
  std::vector<ChangeRecord> records;
  for (const auto& [list, started] :
       {std::pair{&changes.started, true}, std::pair{&changes.ended, false}})
    for (const auto& b : *list) {
      auto r = breach_record(b, started, at);
      r.run_id = report.run_id;
      r.actor = options_.actor;
      r.correlation_id = "run-" + std::to_string(report.run_id);
      records.push_back(std::move(r));
      log_.log(
          started ? LogLevel::warning : LogLevel::notice,
          std::string(started ? "custody breach: " : "custody breach resolved: ") + describe(b));
    }
  CustodyWatch next{changes.open, admin_units_to_remember(portal, changes.open)};
  if (auto st = store_.save_custody_watch(next, records); !st)
    log_.log(LogLevel::error, "custody breaches not recorded: " + st.message());
  for (const auto& b : changes.open)
    if (std::none_of(changes.started.begin(), changes.started.end(), [&](const CustodyBreach& s) {
          return s.kind == b.kind && s.subject_id == b.subject_id;
        }))
      log_.log(LogLevel::warning, "custody breach (open since " + b.since + "): " + describe(b));
  report.breaches_started = changes.started.size();
  report.breaches_ended = changes.ended.size();
  report.breaches = std::move(changes.open);
}

std::vector<CustodyBreach> SyncEngine::preview_custody(const PortalSnapshot& portal) {
  auto watch = store_.load_custody_watch();
  if (!watch) {
    log_.log(LogLevel::error, "custody breaches not checked: " + watch.error());
    return {};
  }
  return track_breaches(watch->open, custody_breaches(portal, watch->admin_units),
                        format_utc(clock_.now()))
      .open;
}

}  // namespace ps
