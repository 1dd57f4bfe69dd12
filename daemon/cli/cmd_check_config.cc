// portalsync check-config: validate a configuration without connecting to anything.
#include <cstdio>

#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"

namespace ps::cli {

int run_check_config(const Argv& argv) {
  static const char* usage = R"(usage: portalsync check-config [-c FILE]

Validates FILE (default /etc/portalsync/portalsync.yaml): every key, type and range, and that the
files it names (bind password, CA) can be read. Connects to nothing. Errors name file, line, key.
)";
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption}, usage, status);
  if (!args) return status;
  auto config = load_config_or_report(*args);
  if (!config) return kExitFatal;
  std::printf("configuration OK: %s\n", config->source.c_str());
  return kExitOk;
}

}  // namespace ps::cli
