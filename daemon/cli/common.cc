#include "daemon/cli/common.h"

#include <cstdio>

#include "daemon/actions/action_result.h"
#include "daemon/cli/commands.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

std::optional<Args> parse_or_report(const std::vector<std::string>& argv,
                                    std::vector<OptionSpec> spec, const char* usage,
                                    int& exit_status) {
  spec.push_back(kHelpOption);
  auto args = Args::parse(argv, spec);
  if (!args) {
    std::fprintf(stderr, "portalsync: %s\n", args.error().c_str());
    exit_status = kExitFatal;
    return std::nullopt;
  }
  if (args->has("--help")) {
    std::fputs(usage, stdout);
    exit_status = kExitOk;
    return std::nullopt;
  }
  return std::move(args.value());
}

std::optional<Config> load_config_or_report(const Args& args) {
  auto path = args.value_or("--config", kDefaultConfig);
  auto config = load_config(path);
  if (!config) {
    std::fprintf(stderr, "portalsync: invalid configuration:\n%s\n", config.error().c_str());
    return std::nullopt;
  }
  for (const auto& w : config->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return std::move(config.value());
}

std::optional<TimePoint> now_option(const Args& args) {
  auto text = args.value("--now");
  if (!text) return std::chrono::system_clock::now();
  auto t = parse_timestamp(*text);
  if (!t)
    std::fprintf(stderr,
                 "portalsync: --now \"%s\" is not ISO 8601 with an offset (e.g. "
                 "2026-12-01T08:00:00+08:00) or a date\n",
                 text->c_str());
  return t;
}

std::unique_ptr<OpenPortal> open_portal(const Args& args) {
  auto config = load_config_or_report(args);
  if (!config) return nullptr;
  auto out = std::make_unique<OpenPortal>();
  out->config = std::move(*config);
  auto store = open_portal_store(out->config);
  if (!store) {
    std::fprintf(stderr, "portalsync: %s\n", store.error().c_str());
    return nullptr;
  }
  out->store = std::move(store.value());
  auto snapshot = out->store->load_snapshot();
  if (!snapshot) {
    std::fprintf(stderr, "portalsync: %s\n", snapshot.error().c_str());
    return nullptr;
  }
  out->snapshot = std::move(snapshot.value());
  return out;
}

ChangeRecord cli_record(std::string operation, std::string category, std::string subject,
                        RowId subject_id) {
  return actions::manual_record(cli_actor(), std::move(operation), std::move(category),
                                std::move(subject), subject_id);
}

}  // namespace ps::cli
