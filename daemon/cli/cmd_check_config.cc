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
  if (config->audit.key.empty())
    std::printf(
        "warning: the change log is NOT TAMPER-EVIDENT: %s (docs/audit.md)\n",
        config->audit.key_file.empty()
            ? "no audit.key_file, so anyone who can write the database can rewrite it unseen"
            : "audit.key_file does not exist yet; `portalsync db init -c FILE` creates it");
  return kExitOk;
}

}  // namespace ps::cli
