// portalsync db init | db sample: the portal interface tables and a demo portal.
#include <chrono>
#include <cstdio>
#include <fstream>

#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "store/change_log_key.h"
#include "store/sample/sample_portal.h"
#include "store/schema.h"

namespace ps::cli {

namespace {

const char* kDbUsage = R"(usage: portalsync db init   [--database URL | -c FILE]
       portalsync db sample [--database URL | -c FILE] [--accounts N] [--units N] [--seed N]

init    creates the portal interface tables (org_units, accounts, shared_accounts, systems,
        org_unit_systems, account_systems, scheduled_changes) and portalsync's own tables, or
        migrates them to this version. Safe to run again. With -c FILE naming audit.key_file:
        creates that key (mode 600) when it does not exist, and seals the change log with it
        from then on (docs/audit.md).
sample  fills an empty, initialised portal database with a realistic Tainan-style agency tree
        (default 40 units, 300 accounts) for demos and benchmarks, with a few reserved
        changes due in the coming week (one of them blocked by a custodian's handover duty).

URL is a SOCI connection string, e.g. sqlite3://db=/var/lib/portalsync/portal.db. Without
--database the portal.database of the configuration is used.
)";

std::optional<std::string> database_url(const Args& args, std::optional<Config>& config) {
  if (auto url = args.value("--database")) return url;
  config = load_config_or_report(args);
  if (!config) return std::nullopt;
  return config->portal.database;
}

// With a configuration naming audit.key_file: makes the key when it does not exist yet (mode
// 600), then seals the change log with it from the next record on (once).
int init_audit_key(const Config& config, const std::string& url) {
  const auto& a = config.audit;
  if (a.key_file.empty()) {
    std::printf(
        "audit: no audit.key_file in %s, so the change log is not tamper-evident "
        "(docs/audit.md)\n",
        config.source.c_str());
    return kExitOk;
  }
  auto key = a.key;
  if (a.key_missing) {
    if (auto st = create_audit_key_file(a.key_file); !st) {
      std::fprintf(stderr, "portalsync db init: %s\n", st.message().c_str());
      return kExitFatal;
    }
    std::ifstream in(a.key_file);
    std::getline(in, key);
    std::printf("audit key created: %s (mode 600; keep a copy offline, never in the database)\n",
                a.key_file.c_str());
  }
  auto sealing = start_keyed_sealing(url, key, format_utc(std::chrono::system_clock::now()));
  if (!sealing) {
    std::fprintf(stderr, "portalsync db init: %s\n", sealing.error().c_str());
    return kExitFatal;
  }
  if (sealing.value() == KeyedSealing::started)
    std::printf("change log: sealed with %s from the next record on\n", a.key_file.c_str());
  return kExitOk;
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
  std::optional<Config> config;
  auto url = database_url(*args, config);
  if (!url) return kExitFatal;
  if (action == "init") {
    if (auto st = init_portal_database(*url); !st) {
      std::fprintf(stderr, "portalsync db init: %s\n", st.message().c_str());
      return kExitFatal;
    }
    std::printf("portal database ready: %s\n", url->c_str());
    return config ? init_audit_key(*config, *url) : kExitOk;
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
