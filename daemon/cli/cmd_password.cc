// portalsync password set | unlock: an account's password and lockout, written to the directory
// at once (outside any sync), each recorded in the change log without the password. The work is
// daemon/actions/directory_account.h's, shared with the admin API; this file reads the password
// and prints.
#include <cstdio>

#include "daemon/actions/directory_account.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/cli/password_input.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

namespace {

const char* kPasswordUsage =
    R"(usage: portalsync password set USERNAME [--must-change] [--stdin] [-c FILE]

Sets the directory password of USERNAME (an account or a shared account) at once. The password
is read from the terminal without echo and asked twice, or as one line from stdin when stdin is
not a terminal or with --stdin; never from the command line or the environment. It is checked
against the password policy (passwords: in the configuration) before anything is sent, and it is
sent only over an encrypted connection (StartTLS or ldaps). A disabled account is refused.
  --must-change  the user must choose a new password at the next sign-in
                 (AD pwdLastSet=0; OpenLDAP ppolicy pwdReset=TRUE)
  --stdin        read one line from stdin even when it is a terminal
The change log records that the password was set, by whom; never the password.
Exit status: 0 set; 1 refused or failed (the message says why).
)";

const char* kUnlockUsage = R"(usage: portalsync unlock USERNAME [-c FILE]

Clears the lockout the directory set after failed sign-ins (AD lockoutTime=0; OpenLDAP ppolicy
pwdAccountLockedTime removed). It does not enable an account: a disabled, locked or pending
account of the portal stays unable to sign in. Recorded in the change log.
Exit status: 0 unlocked (or there was no lockout); 1 refused or failed.
)";

// Prints what change_in_directory answered.
int report(const char* command, const actions::ActionResult<std::string>& done) {
  if (!done) {
    std::fprintf(stderr, "portalsync %s: %s\n", command, done.error().c_str());
    return kExitFatal;
  }
  std::printf("%s\n", done->c_str());
  return kExitOk;
}

std::optional<std::string> username_argument(const Args& args, const std::string& verb,
                                             const char* usage) {
  const auto& pos = args.positionals();
  bool ok = verb.empty() ? pos.size() == 1 : pos.size() == 2 && pos[0] == verb;
  if (!ok) {
    std::fputs(usage, stderr);
    return std::nullopt;
  }
  return pos.back();
}

int refuse(const char* command, const std::string& message) {
  std::fprintf(stderr, "portalsync %s: refused: %s\n", command, message.c_str());
  return kExitFatal;
}

// Reads the new password and checks it; the error lists every rule it breaks.
Status read_acceptable_password(SecretLine& password, const PasswordPolicy& policy,
                                const std::string& username, bool from_stdin) {
  if (auto st = read_new_password(password, "New password for " + username + ": ", from_stdin); !st)
    return st;
  if (auto refused = actions::policy_refusal(policy, password.view(), username))
    return Status::error(refused->message);
  return Status::ok();
}

}  // namespace

int run_password(const Argv& argv) {
  int status = kExitOk;
  auto args =
      parse_or_report(argv, {kConfigOption, {"--must-change", "", false}, {"--stdin", "", false}},
                      kPasswordUsage, status);
  if (!args) return status;
  auto username = username_argument(*args, "set", kPasswordUsage);
  if (!username) return kExitFatal;
  stop_core_dumps();
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  auto target = actions::find_directory_target(portal->snapshot, *username);
  if (!target) return refuse("password set", target.error());
  if (auto refused = actions::password_refusal(target.value()))
    return refuse("password set", refused->message);
  auto policy = password_policy(portal->config);
  if (!policy) return refuse("password set", policy.error());

  SecretLine password;
  if (auto st = read_acceptable_password(password, policy.value(), target->username,
                                         args->has("--stdin"));
      !st)
    return refuse("password set", st.message());
  auto change = actions::password_change(password.view(), args->has("--must-change"));
  return report("password set", actions::change_in_directory(*portal->store, portal->config,
                                                             target.value(), change, cli_actor()));
}

int run_unlock(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption}, kUnlockUsage, status);
  if (!args) return status;
  auto username = username_argument(*args, "", kUnlockUsage);
  if (!username) return kExitFatal;
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  auto target = actions::find_directory_target(portal->snapshot, *username);
  if (!target) return refuse("unlock", target.error());
  if (auto refused = actions::unlock_refusal(target.value()))
    return refuse("unlock", refused->message);
  return report("unlock",
                actions::change_in_directory(*portal->store, portal->config, target.value(),
                                             actions::unlock_change(), cli_actor()));
}

}  // namespace ps::cli
