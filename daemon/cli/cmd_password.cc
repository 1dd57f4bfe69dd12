// portalsync password set | unlock: an account's password and lockout, written to the directory
// at once (outside any sync), each recorded in the change log without the password.
//
// The entry is found through the identity link the engine saved for the account (ps_links): its
// anchor (entryUUID / objectGUID) follows the entry through renames and moves, and it cannot
// point at an unmanaged entry that merely shares the username, which a search by uid or
// sAMAccountName could. The directory read that resolves it to a DN is the one every sync makes,
// with one attribute.
#include <chrono>
#include <cstdio>
#include <functional>

#include "core/portal_lookup.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/cli/password_input.h"
#include "daemon/wiring/run_lock.h"
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

// The portal row a command acts on.
struct Target {
  ObjectKind kind = ObjectKind::account;
  RowId id = 0;
  RowId unit_id = 0;
  std::string username;
  std::string status;
  bool locked = false;
};

Result<Target> find_target(const PortalSnapshot& p, const std::string& username) {
  if (const auto* a = find_account_by_username(p, username))
    return Target{ObjectKind::account, a->id, a->org_unit_id, a->username, a->status, a->locked};
  if (const auto* s = find_shared_by_username(p, username))
    return Target{ObjectKind::shared_account, s->id, s->org_unit_id, s->username, s->status, false};
  return Error{"no account named \"" + username + "\" in the portal"};
}

// The DN of the entry the engine linked to the target.
Result<std::string> linked_dn(PortalStore& store, DirectoryConnector& directory,
                              const Config& config, const Target& t) {
  auto links = store.load_links();
  if (!links) return Error{links.error()};
  std::string anchor;
  for (const auto& link : links.value())
    if (link.kind == t.kind && link.portal_id == t.id) anchor = link.anchor;
  if (anchor.empty()) return Error{t.username + " is not in the directory yet; run a sync first"};
  auto read = directory.read_subtree({config.directory.base_dn, {"objectClass"}});
  if (!read) return Error{read.error()};
  for (const auto& entry : read->entries)
    if (entry.anchor == anchor) return entry.dn;
  return Error{"the directory entry of " + t.username + " (anchor " + anchor + ") is not under " +
               config.directory.base_dn + "; run a sync first"};
}

// What password set and unlock do once the target is known and allowed.
struct DirectoryAction {
  std::string command;    // "password set", for messages
  std::string operation;  // the change log's operation
  std::string category;
  std::string after_json;
  std::string done;  // "password set", printed after the username
  std::function<Status(DirectoryConnector&, const std::string& dn)> apply;
};

ChangeRecord intent_record(const DirectoryAction& action, const Target& t, const std::string& dn) {
  auto r = cli_record(action.operation, action.category, t.username, t.id);
  r.kind = t.kind;
  r.unit_id = t.unit_id;
  r.dn = dn;
  r.after_json = action.after_json;
  r.result = "pending";
  return r;
}

// Under the run lock, so a sync starting meanwhile cannot mark the pending record interrupted:
// the intent is written before the directory is touched and the outcome after, as for a sync.
int apply_in_directory(const OpenPortal& portal, const Target& t, const DirectoryAction& action) {
  auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "portalsync %s: %s\n", action.command.c_str(), message.c_str());
    return kExitFatal;
  };
  auto lock = RunLock::acquire(portal.config.portal.database);
  if (!lock) return fail(lock.error());
  auto directory = connect_directory(portal.config);
  if (!directory) return fail(directory.error());
  auto dn = linked_dn(*portal.store, *directory.value(), portal.config, t);
  if (!dn) return fail(dn.error());
  std::vector<ChangeRecord> intent{intent_record(action, t, dn.value())};
  if (auto st = portal.store->record_intents(intent); !st)
    return fail(st.message() + "; nothing was sent");
  auto applied = action.apply(*directory.value(), dn.value());
  ChangeOutcome outcome{intent[0].id, applied ? "applied" : "failed", applied.message(),
                        format_utc(std::chrono::system_clock::now())};
  auto recorded = portal.store->record_outcomes({outcome});
  if (!applied) return fail(applied.message());
  if (!recorded)
    return fail(t.username + ": " + action.done +
                ", but its change-log record stays pending: " + recorded.message());
  std::printf("%s: %s (%s)\n", t.username.c_str(), action.done.c_str(), dn->c_str());
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
  auto failures = check_password(policy, password.view(), username);
  if (failures.empty()) return Status::ok();
  std::string text =
      "the password breaks the policy (passwords: in the configuration); nothing was sent:";
  for (const auto& f : failures) text += "\n  " + f.message;
  return Status::error(text);
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
  auto target = find_target(portal->snapshot, *username);
  if (!target) return refuse("password set", target.error());
  if (target->status == "disabled")
    return refuse("password set", target->username + " is disabled in the portal");
  auto policy = password_policy(portal->config);
  if (!policy) return refuse("password set", policy.error());

  SecretLine password;
  if (auto st = read_acceptable_password(password, policy.value(), target->username,
                                         args->has("--stdin"));
      !st)
    return refuse("password set", st.message());
  bool must_change = args->has("--must-change");
  DirectoryAction action{
      "password set",
      "set_password",
      "password",
      std::string("{\"must_change\":") + (must_change ? "true" : "false") + "}",
      must_change ? "password set; to be changed at the next sign-in" : "password set",
      [&](DirectoryConnector& d, const std::string& dn) {
        return d.set_password(dn, password.view(), must_change);
      }};
  return apply_in_directory(*portal, target.value(), action);
}

int run_unlock(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption}, kUnlockUsage, status);
  if (!args) return status;
  auto username = username_argument(*args, "", kUnlockUsage);
  if (!username) return kExitFatal;
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  auto target = find_target(portal->snapshot, *username);
  if (!target) return refuse("unlock", target.error());
  // A lockout after failed sign-ins is the directory's; these are the portal's own decisions.
  if (target->status == "disabled" || target->locked)
    return refuse("unlock", target->username + " is " + (target->locked ? "locked" : "disabled") +
                                " in the portal; unlock clears lockouts after failed sign-ins and "
                                "does not enable accounts");
  DirectoryAction action{
      "unlock",   "unlock",
      "lockout",  "",
      "unlocked", [](DirectoryConnector& d, const std::string& dn) { return d.unlock(dn); }};
  return apply_in_directory(*portal, target.value(), action);
}

}  // namespace ps::cli
