// The portalsync subcommands. Each returns the process exit status:
// 0 success, 1 fatal error (bad config, unreachable directory), 2 partial (some rows failed or
// were rejected while the rest applied), 3 held by the mass-change guard.
#pragma once

#include <string>
#include <vector>

namespace ps::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 1;
inline constexpr int kExitPartial = 2;
inline constexpr int kExitHeld = 3;  // the mass-change guard held destructive operations

inline constexpr const char* kDefaultConfig = "/etc/portalsync/portalsync.yaml";

using Argv = std::vector<std::string>;

int run_db(const Argv& args);
int run_check_config(const Argv& args);
int run_plan(const Argv& args);
int run_sync(const Argv& args);
int run_schedule(const Argv& args);
int run_idle(const Argv& args);
int run_custody(const Argv& args);
int run_role(const Argv& args);
int run_approve(const Argv& args);
int run_audit(const Argv& args);
int run_password(const Argv& args);
int run_unlock(const Argv& args);
int run_quarantine(const Argv& args);

}  // namespace ps::cli
