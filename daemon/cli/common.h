// Pieces every subcommand shares: the -c option, loading the config with its errors printed,
// printing --help text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/portal_store.h"
#include "daemon/cli/args.h"

namespace ps::cli {

inline const OptionSpec kConfigOption{"--config", "-c", true};
inline const OptionSpec kHelpOption{"--help", "-h", false};
inline const OptionSpec kNowOption{"--now", "", true};

// Parses args; on error prints it and returns nullopt. `usage` is printed for --help (then also
// nullopt, with `exit_status` set to 0).
std::optional<Args> parse_or_report(const std::vector<std::string>& argv,
                                    std::vector<OptionSpec> spec, const char* usage,
                                    int& exit_status);

// Loads -c FILE (or the default path); prints the errors and returns nullopt on failure.
std::optional<Config> load_config_or_report(const Args& args);

// --now TIMESTAMP (a preview of the future), or the current time; prints the error and returns
// nullopt for a malformed timestamp.
std::optional<TimePoint> now_option(const Args& args);

// The configuration and the portal database, opened; nullptr after printing why not.
struct OpenPortal {
  Config config;
  std::unique_ptr<PortalStore> store;
  PortalSnapshot snapshot;
};
std::unique_ptr<OpenPortal> open_portal(const Args& args);

// A change-log record for something a person did from the command line.
ChangeRecord cli_record(std::string operation, std::string category, std::string subject,
                        RowId subject_id);

}  // namespace ps::cli
