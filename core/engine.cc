#include "core/engine.h"

#include "core/json.h"
#include "core/planner.h"

namespace ps {

SyncEngine::SyncEngine(PortalStore& store, DirectoryConnector& directory, const Clock& clock,
                       Logger& log, EngineOptions options)
    : store_(store),
      directory_(directory),
      clock_(clock),
      log_(log),
      options_(std::move(options)) {}

Result<Plan> SyncEngine::plan() {
  auto portal = store_.load_snapshot();
  if (!portal) return Error{portal.error()};
  auto links = store_.load_links();
  if (!links) return Error{links.error()};
  log_.log(LogLevel::info, "portal: " + std::to_string(portal->units.size()) + " units, " +
                               std::to_string(portal->accounts.size()) + " accounts");
  auto actual = directory_.read_subtree(
      {options_.mapping.base_dn, managed_read_attributes(options_.mapping)});
  if (!actual) return Error{actual.error()};
  log_.log(LogLevel::info, "directory: " + std::to_string(actual->entries.size()) +
                               " entries below " + options_.mapping.base_dn);
  auto plan = plan_sync(portal.value(), links.value(), actual.value(), options_.mapping);
  for (const auto& r : plan.rejected) log_.log(LogLevel::warning, "rejected " + r.reason);
  for (const auto& w : plan.warnings) log_.log(LogLevel::warning, w);
  return plan;
}

Result<SyncReport> SyncEngine::sync() {
  SyncReport report;
  auto run = store_.begin_run(options_.actor, format_utc(clock_.now()), "sync");
  if (!run) return Error{run.error()};
  report.run_id = run.value();
  auto interrupted = store_.mark_interrupted(
      report.run_id,
      "outcome unknown: the run that sent it ended before recording the result; "
      "run " +
          std::to_string(report.run_id) +
          " re-read the directory and "
          "planned from what it found");
  if (interrupted && interrupted.value() > 0) {
    report.interrupted_records = interrupted.value();
    log_.log(LogLevel::warning, std::to_string(interrupted.value()) +
                                    " change-log records of an interrupted run marked unknown");
  }
  auto planned = plan();
  if (!planned) {
    store_.finish_run(report.run_id, format_utc(clock_.now()), "failed",
                      "{\"error\":" + json_quote(planned.error()) + "}");
    return Error{planned.error()};
  }
  report.plan = std::move(planned.value());
  // Adopted entries are linked before anything is sent: they exist whatever happens next.
  if (auto st = store_.save_links(report.plan.adopted, {}); !st) return Error{st.message()};
  log_.log(LogLevel::info, std::to_string(report.plan.operations.size()) + " operations planned");

  ApplyOptions apply;
  apply.window = options_.window;
  apply.run_id = report.run_id;
  apply.actor = options_.actor;
  apply.correlation_id = "run-" + std::to_string(report.run_id);
  apply.masked_attribute = options_.mapping.national_id_attribute;
  report.applied = apply_plan(report.plan, directory_, store_, clock_, log_, apply);
  if (auto st = save_links(report.plan, report.applied); !st)
    log_.log(LogLevel::error, st.message());

  const char* status = !report.applied.fatal.is_ok() ? "failed"
                       : report.complete()           ? "ok"
                                                     : "partial";
  store_.finish_run(report.run_id, format_utc(clock_.now()), status, summary_json(report));
  if (!report.applied.fatal.is_ok()) return Error{report.applied.fatal.message()};
  return report;
}

// New entries get their link; links of portal rows that are gone are dropped.
Status SyncEngine::save_links(const Plan& plan, const ApplyReport& applied) {
  return store_.save_links(applied.new_links, plan.stale_links);
}

std::string summary_json(const SyncReport& report) {
  const auto& p = report.plan;
  JsonWriter w;
  w.begin_object()
      .key("run_id")
      .value(report.run_id)
      .key("planned")
      .value(p.operations.size())
      .key("applied")
      .value(report.applied.applied)
      .key("failed")
      .value(report.applied.failed)
      .key("skipped")
      .value(report.applied.skipped)
      .key("unknown")
      .value(report.applied.unknown)
      .key("rejected")
      .value(p.rejected.size())
      .key("unchanged")
      .value(p.summary.unchanged)
      .key("adopted")
      .value(p.adopted.size())
      .end_object();
  return w.str();
}

}  // namespace ps
