// portalsync quarantine: the objects the directory keeps refusing, and releasing them so the next
// sync tries again (core/quarantine.h).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/quarantine.h"
#include "daemon/actions/quarantine_release.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

namespace {

const char* kUsage = R"(usage: portalsync quarantine list [-c FILE]
       portalsync quarantine release KIND ID [-c FILE]
       portalsync quarantine release --all [-c FILE]

list      objects whose directory operations failed in recent runs: failures in a row, the last
          error, and whether they are quarantined (sync.quarantine_after failed runs: their
          operations are no longer sent); "pending" ones had operations skipped or held and
          are planned again by every run until applied
release   forgets an object's failures (KIND: org_unit, account, shared_account, group; ID: its
          portal row id) and puts it back in scope, so the next sync (journal runs included)
          sends its operations again; --all releases every one
)";

int list(PortalStore& store, const std::vector<QuarantineEntry>& entries) {
  if (entries.empty()) {
    std::printf("no object is failing\n");
    return kExitOk;
  }
  for (const auto& e : entries)
    std::printf("%-11s %-14s %-6lld %-20s %2d failed runs since %s\n    %s\n",
                e.quarantined ? "QUARANTINED"
                : e.failures  ? "failing"
                              : "pending",
                std::string(to_string(e.kind)).c_str(), static_cast<long long>(e.portal_id),
                e.subject.c_str(), e.failures, e.first_failed_at.c_str(), e.last_error.c_str());
  return kExitOk;
}

}  // namespace

int run_quarantine(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption, {"--all", "", false}}, kUsage, status);
  if (!args) return status;
  const auto& pos = args->positionals();
  bool release = !pos.empty() && pos[0] == "release";
  if (pos.empty() || (pos[0] != "list" && !release) || (pos[0] == "list" && pos.size() != 1) ||
      (release && !(pos.size() == 3 || (pos.size() == 1 && args->has("--all"))))) {
    std::fputs(kUsage, stderr);
    return kExitFatal;
  }
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  auto entries = portal->store->load_quarantine();
  if (!entries) {
    std::fprintf(stderr, "portalsync quarantine: %s\n", entries.error().c_str());
    return kExitFatal;
  }
  if (!release) return list(*portal->store, entries.value());
  actions::ReleaseTarget target;
  if (!args->has("--all")) {
    target.kind = parse_object_kind(pos[1]);
    target.id = std::atoll(pos[2].c_str());
    if (!target.kind) {
      std::fprintf(stderr,
                   "portalsync quarantine: \"%s\" is not a kind (org_unit, account, "
                   "shared_account, group)\n",
                   pos[1].c_str());
      return kExitFatal;
    }
  }
  auto released =
      actions::release_quarantine(*portal->store, portal->snapshot, target, cli_actor());
  if (!released) {
    std::fprintf(stderr, "portalsync quarantine: %s\n", released.error().c_str());
    return kExitFatal;
  }
  std::printf(
      "released %zu; the next sync (portalsyncd's next journal run, at once) sends their "
      "operations again\n",
      released.value());
  return kExitOk;
}

}  // namespace ps::cli
