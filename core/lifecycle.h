// The portal's lifecycle rules as decisions on a snapshot: reserved-effect changes (預約生效) and
// idle-disable (閒置停用). A decision either updates an account in the portal tables (the master;
// the directory follows in the same run) or refuses with the exact reason and what to do.
// Decisions are taken one after another on a working copy, so each sees the ones before it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/model.h"

namespace ps {

struct AccountUpdate {
  RowId account_id = 0;
  std::optional<std::string> status;
  std::optional<RowId> org_unit_id;
  std::optional<std::string> role;
  std::optional<std::string> disabled_reason;  // "" clears it
};

struct RuleDecision {
  std::string actor;              // rule:scheduled | rule:idle | cli:<user> | a token name
  RowId scheduled_change_id = 0;  // 0 unless the decision executes a scheduled_changes row
  RowId account_id = 0;
  std::string username;
  std::string category;                     // status change | unit transfer | role change
  ChangeState state = ChangeState::failed;  // done, blocked or failed
  std::string outcome;                      // what was done, or why not and what to do
  AccountUpdate update;  // applied to the portal when state == done and it changes something
  bool changes_account() const {
    return state == ChangeState::done && (update.status || update.org_unit_id || update.role);
  }
};

// Applies a done decision's update to the snapshot (the working copy the next decision sees).
// originals, when given, receives each account as it was before its first update, so a caller
// can decide on the loaded snapshot itself instead of on a copy of it.
void apply_update(PortalSnapshot& portal, const AccountUpdate& update,
                  std::vector<Account>* originals = nullptr);

// Why a scheduled row can never run as written ("" when it can): an effective_at that is not a
// date-time with an offset (or a bare date) or a kind this build does not know. Such a row is due
// at once and fails with this outcome, which shows an accepted example.
std::string malformed_change(const ScheduledChange& change);

// Pending rows of `changes` whose effective_at has come, in effective_at order (then id), and
// first the malformed ones (malformed_change).
std::vector<ScheduledChange> due_changes(const std::vector<ScheduledChange>& changes,
                                         TimePoint now);

// Decides each due change in order, updating `working` as it goes (originals: see apply_update).
std::vector<RuleDecision> decide_scheduled_changes(PortalSnapshot& working,
                                                   const std::vector<ScheduledChange>& due,
                                                   std::vector<Account>* originals = nullptr);

// One change decided on its own (also used by the manual commands: disable, role set).
RuleDecision decide_change(const PortalSnapshot& portal, const ScheduledChange& change);

struct IdlePolicy {
  bool enabled = true;
  int after_days = 90;
  int warn_days = 14;
  std::vector<std::string> exempt_roles;
  std::vector<std::string> exempt_usernames;
  std::vector<std::string> exempt_unit_codes;  // the unit and every unit below it
};

struct IdleAccount {
  RowId account_id = 0;
  std::string username;
  std::string baseline_source;  // last_login_at | activated_at
  std::string baseline;         // the timestamp as stored
  long days_idle = 0;
  TimePoint disable_at;
  std::string blocked_by;  // handover problems, when it is due but may not be disabled
  std::string agency;      // the name of its agency (core/agency.h)
};

struct IdleAssessment {
  std::vector<IdleAccount> due;          // past the limit and free to disable
  std::vector<IdleAccount> blocked;      // past the limit, refused by a handover check
  std::vector<IdleAccount> upcoming;     // reach the limit within warn_days
  std::vector<std::string> no_baseline;  // enabled accounts with neither timestamp (never judged)
};

IdleAssessment assess_idle(const PortalSnapshot& portal, const IdlePolicy& policy, TimePoint now);

// Disables the due accounts in `working` (blocked ones become "blocked" decisions, reported every
// run, so a refusal never goes silent). originals: see apply_update.
std::vector<RuleDecision> decide_idle_disables(PortalSnapshot& working, const IdlePolicy& policy,
                                               TimePoint now,
                                               std::vector<Account>* originals = nullptr);

}  // namespace ps
