// portalsync: the command-line tool. Subcommands live in cmd_*.cc.
#include <cstdio>
#include <cstring>
#include <string>

#include "daemon/cli/commands.h"
#include "daemon/wiring/version.h"

namespace {

const char* kUsage = R"(usage: portalsync COMMAND [options]

Syncs the portal database (the master of official accounts and org units) into the directory.

Commands:
  db init        create or migrate the portal interface tables
  db sample      fill an empty portal database with a realistic sample (demos, benchmarks)
  check-config   validate a configuration file without connecting
  plan           show what a sync would change (writes nothing)
  sync --once    run the rules, then apply the changes to the directory
  schedule       add, list or cancel reserved-effect changes (預約生效)
  idle report    accounts the idle-disable rule disables now or soon, and who is blocked
  custody transfer SHARED --to USERNAME   hand a shared account to a new custodian
  role set USERNAME ROLE                  change an account's role (rule-checked)
  approve ID     let a run held by the mass-change guard through (--list shows holds)
  quarantine     list objects the directory keeps refusing, release them
  password set USERNAME                   set a directory password (asked without echo)
  unlock USERNAME                         clear a lockout after failed sign-ins
  audit query    the change log for auditors: filters, table/json/csv, ROC dates
  audit verify   check the change log's hash chain for tampering

plan, schedule list and idle report take --now TIME to preview another moment.
Every command takes -c FILE (default /etc/portalsync/portalsync.yaml) and --help.
portalsync --version prints the version.
Exit status: 0 ok, 1 fatal error, 2 some objects failed or were rejected, 3 held by the guard.
Documentation: man portalsync, man portalsync.yaml; docs/ (operations.md, configuration.md, ...).
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? ps::cli::kExitFatal : ps::cli::kExitOk;
  }
  std::string command = argv[1];
  ps::cli::Argv rest(argv + 2, argv + argc);
  if (command == "--version") {
    std::printf("portalsync %s\n", ps::version());
    return 0;
  }
  if (command == "db") return ps::cli::run_db(rest);
  if (command == "check-config") return ps::cli::run_check_config(rest);
  if (command == "plan") return ps::cli::run_plan(rest);
  if (command == "sync") return ps::cli::run_sync(rest);
  if (command == "schedule") return ps::cli::run_schedule(rest);
  if (command == "idle") return ps::cli::run_idle(rest);
  if (command == "custody") return ps::cli::run_custody(rest);
  if (command == "role") return ps::cli::run_role(rest);
  if (command == "approve") return ps::cli::run_approve(rest);
  if (command == "quarantine") return ps::cli::run_quarantine(rest);
  if (command == "audit") return ps::cli::run_audit(rest);
  if (command == "password") return ps::cli::run_password(rest);
  if (command == "unlock") return ps::cli::run_unlock(rest);
  std::fprintf(stderr, "portalsync: unknown command \"%s\" (see portalsync --help)\n",
               command.c_str());
  return ps::cli::kExitFatal;
}
