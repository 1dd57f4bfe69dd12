// portalsync db init | db sample: the portal interface tables and a demo portal.
#include <chrono>
#include <cstdio>

#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "store/sample/sample_portal.h"
#include "store/schema.h"

namespace ps::cli {

namespace {

const char* kDbUsage = R"(usage: portalsync db init   [--database URL | -c FILE]
       portalsync db sample [--database URL | -c FILE] [--accounts N] [--units N] [--seed N]

init    creates the portal interface tables (org_units, accounts, shared_accounts, systems,
        org_unit_systems, account_systems, scheduled_changes) and portalsync's own tables, or
        migrates them to this version. Safe to run again.
sample  fills an empty, initialised portal database with a realistic Tainan-style agency tree
        (default 40 units, 300 accounts) for demos and benchmarks.

URL is a SOCI connection string, e.g. sqlite3://db=/var/lib/portalsync/portal.db. Without
--database the portal.database of the configuration is used.
)";

std::optional<std::string> database_url(const Args& args) {
  if (auto url = args.value("--database")) return url;
  auto config = load_config_or_report(args);
  if (!config) return std::nullopt;
  return config->portal.database;
}

}  // namespace

int run_db(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv,
                              {kConfigOption,
                               {"--database", "", true},
                               {"--accounts", "", true},
                               {"--units", "", true},
                               {"--seed", "", true}},
                              kDbUsage, status);
  if (!args) return status;
  if (args->positionals().size() != 1) {
    std::fputs(kDbUsage, stderr);
    return kExitFatal;
  }
  const auto& action = args->positionals()[0];
  if (action != "init" && action != "sample") {
    std::fprintf(stderr, "portalsync db: unknown action \"%s\" (init or sample)\n", action.c_str());
    return kExitFatal;
  }
  auto url = database_url(*args);
  if (!url) return kExitFatal;
  if (action == "init") {
    if (auto st = init_portal_database(*url); !st) {
      std::fprintf(stderr, "portalsync db init: %s\n", st.message().c_str());
      return kExitFatal;
    }
    std::printf("portal database ready: %s\n", url->c_str());
    return kExitOk;
  }
  SampleOptions options;
  // Sign-ins relative to today, so the idle-disable demo touches a few accounts, not all of them.
  options.now = std::chrono::system_clock::now();
  auto accounts = integer_option(*args, "--accounts", options.accounts);
  auto units = integer_option(*args, "--units", options.units);
  auto seed = integer_option(*args, "--seed", options.seed);
  for (const auto* r : {&accounts, &units, &seed})
    if (!*r) {
      std::fprintf(stderr, "portalsync db sample: %s\n", r->error().c_str());
      return kExitFatal;
    }
  options.accounts = static_cast<int>(accounts.value());
  options.units = static_cast<int>(units.value());
  options.seed = static_cast<unsigned>(seed.value());
  if (auto st = write_sample_portal(*url, options); !st) {
    std::fprintf(stderr, "portalsync db sample: %s\n", st.message().c_str());
    return kExitFatal;
  }
  std::printf("sample portal written: %d units, %d accounts in %s\n", options.units,
              options.accounts, url->c_str());
  return kExitOk;
}

}  // namespace ps::cli
