// One engine run: read the portal and the directory, plan, and (for sync) apply and remember what
// was learned. Every entry point (CLI, daemon, admin API) goes through here.
#pragma once

#include <cstddef>
#include <string>

#include "core/apply.h"
#include "core/clock.h"
#include "core/directory_connector.h"
#include "core/log.h"
#include "core/mapping.h"
#include "core/plan.h"
#include "core/portal_store.h"

namespace ps {

struct EngineOptions {
  MappingOptions mapping;
  std::size_t window = 32;
  std::string actor = "portalsync";
};

struct SyncReport {
  Plan plan;
  ApplyReport applied;
  std::int64_t run_id = 0;
  int interrupted_records = 0;  // left "pending" by an earlier run, now marked unknown

  bool complete() const {
    return applied.failed == 0 && applied.skipped == 0 && applied.unknown == 0 &&
           plan.rejected.empty();
  }
};

class SyncEngine {
 public:
  SyncEngine(PortalStore& store, DirectoryConnector& directory, const Clock& clock, Logger& log,
             EngineOptions options);

  // Reads both sides and plans; writes nothing anywhere.
  Result<Plan> plan();

  // Plans and applies. Fails only when it could not run at all or lost the directory/change log
  // mid-way; failed operations and rejected rows are in the report.
  Result<SyncReport> sync();

 private:
  PortalStore& store_;
  DirectoryConnector& directory_;
  const Clock& clock_;
  Logger& log_;
  EngineOptions options_;

  Status save_links(const Plan& plan, const ApplyReport& applied);
};

std::string summary_json(const SyncReport& report);

}  // namespace ps
