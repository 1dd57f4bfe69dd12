#include "core/lifecycle.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/agency.h"
#include "core/handover.h"
#include "core/portal_lookup.h"

namespace ps {

namespace {

RuleDecision start(const ScheduledChange& c, const Account* a, std::string category) {
  RuleDecision d;
  d.actor = "rule:scheduled";
  d.scheduled_change_id = c.id;
  d.account_id = c.account_id;
  d.username = a ? a->username() : "";
  d.category = std::move(category);
  d.update.account_id = c.account_id;
  return d;
}

RuleDecision refuse(RuleDecision d, ChangeState state, std::string outcome) {
  d.state = state;
  d.outcome = std::move(outcome);
  return d;
}

RuleDecision done(RuleDecision d, std::string outcome) {
  d.state = ChangeState::done;
  d.outcome = std::move(outcome);
  return d;
}

RuleDecision decide_status(const PortalSnapshot& p, const ScheduledChange& c, const Account& a) {
  auto d = start(c, &a, "status change");
  if (parse_change_kind(c.kind) == ChangeKind::enable) {
    if (a.status() == "enabled")
      return done(d, std::string(a.username()) + " is already enabled; nothing to do");
    d.update.status = "enabled";
    d.update.disabled_reason = "";
    return done(d, std::string(a.username()) + " enabled (" + c.reason + ")");
  }
  if (a.status() == "disabled")
    return done(d, std::string(a.username()) + " is already disabled; nothing to do");
  if (auto problems = handover_problems(p, a); !problems.empty())
    return refuse(d, ChangeState::blocked, "not disabled: " + join_problems(problems));
  d.update.status = "disabled";
  d.update.disabled_reason = c.reason;
  return done(d, std::string(a.username()) + " disabled (" + c.reason + ")");
}

RuleDecision decide_transfer(const PortalSnapshot& p, const ScheduledChange& c, const Account& a) {
  auto d = start(c, &a, "unit transfer");
  if (!c.target_org_unit_id)
    return refuse(d, ChangeState::failed, "transfer without target_org_unit_id");
  const auto* target = find_unit(p, *c.target_org_unit_id);
  if (!target)
    return refuse(d, ChangeState::failed,
                  "target unit " + std::to_string(*c.target_org_unit_id) + " does not exist");
  if (!target->active)
    return refuse(d, ChangeState::failed, "target unit " + target->name + " is retired");
  if (a.org_unit_id == target->id)
    return done(d,
                std::string(a.username()) + " is already in " + target->name + "; nothing to do");
  // Inside its agency the account still counts as its agency admin and stays a valid custodian.
  Agencies agencies(p);
  bool leaves_agency = agencies.rule_unit_of(a.org_unit_id) != agencies.rule_unit_of(target->id);
  if (auto problems = handover_problems(p, a); leaves_agency && !problems.empty())
    return refuse(d, ChangeState::blocked, "not transferred: " + join_problems(problems));
  d.update.org_unit_id = target->id;
  return done(
      d, std::string(a.username()) + " transferred to " + target->name + " (" + c.reason + ")");
}

RuleDecision decide_role(const PortalSnapshot& p, const ScheduledChange& c, const Account& a) {
  auto d = start(c, &a, "role change");
  if (!parse_role(c.target_role))
    return refuse(
        d, ChangeState::failed,
        "target_role \"" + c.target_role + "\" is not one of user, agency_admin, system_admin");
  if (a.role() == c.target_role)
    return done(
        d, std::string(a.username()) + " already has role " + c.target_role + "; nothing to do");
  if (a.role() == "agency_admin") {  // demoting: the unit must keep an admin
    if (auto problem = sole_admin_problem(p, a); !problem.empty())
      return refuse(d, ChangeState::blocked, "role not changed: " + problem);
  }
  d.update.role = c.target_role;
  return done(d,
              std::string(a.username()) + " now has role " + c.target_role + " (" + c.reason + ")");
}

}  // namespace

void apply_update(PortalSnapshot& portal, const AccountUpdate& u, std::vector<Account>* originals) {
  for (auto& a : portal.accounts) {
    if (a.id != u.account_id) continue;
    if (originals && std::none_of(originals->begin(), originals->end(),
                                  [&](const Account& o) { return o.id == a.id; }))
      originals->push_back(a);
    if (u.status) a.set_status(*u.status);
    if (u.org_unit_id) a.org_unit_id = *u.org_unit_id;
    if (u.role) a.set_role(*u.role);
    if (u.disabled_reason) a.set_disabled_reason(*u.disabled_reason);
  }
}

std::vector<ScheduledChange> due_changes(const std::vector<ScheduledChange>& changes,
                                         TimePoint now) {
  std::vector<std::pair<TimePoint, ScheduledChange>> due;
  for (const auto& c : changes) {
    if (c.state != ChangeState::pending) continue;
    // A row that can never come due is decided at once, as failed (decide_change), never kept
    // pending in silence.
    auto at = parse_timestamp(c.effective_at);
    if (!malformed_change(c).empty())
      due.push_back({TimePoint::min(), c});
    else if (*at <= now)
      due.push_back({*at, c});
  }
  std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<ScheduledChange> out;
  for (auto& [at, c] : due) out.push_back(std::move(c));
  return out;
}

std::string malformed_change(const ScheduledChange& change) {
  if (!parse_timestamp(change.effective_at))
    return "effective_at \"" + change.effective_at +
           "\" is not a date-time with a UTC offset, so it can never come due; write it like "
           "2026-12-01T08:00:00+08:00 (or 2026-12-01T00:00:00Z), as a new row";
  if (!parse_change_kind(change.kind))
    return "kind \"" + change.kind +
           "\" is not one of disable, enable, transfer, set_role; write it like kind = "
           "'disable', as a new row";
  return "";
}

RuleDecision decide_change(const PortalSnapshot& portal, const ScheduledChange& change) {
  const auto* account = find_account(portal, change.account_id);
  if (!account)
    return refuse(start(change, nullptr, "status change"), ChangeState::failed,
                  "account " + std::to_string(change.account_id) + " does not exist");
  auto kind = parse_change_kind(change.kind);
  if (kind == ChangeKind::transfer) return decide_transfer(portal, change, *account);
  if (kind == ChangeKind::set_role) return decide_role(portal, change, *account);
  if (kind) return decide_status(portal, change, *account);  // disable or enable
  return refuse(start(change, account, "status change"), ChangeState::failed,
                "kind \"" + change.kind + "\" is not one of disable, enable, transfer, set_role");
}

std::vector<RuleDecision> decide_scheduled_changes(PortalSnapshot& working,
                                                   const std::vector<ScheduledChange>& due,
                                                   std::vector<Account>* originals) {
  std::vector<RuleDecision> out;
  for (const auto& c : due) {
    // A row that cannot be understood fails whatever else is true of it.
    auto problem = malformed_change(c);
    auto d = problem.empty()
                 ? decide_change(working, c)
                 : refuse(start(c, find_account(working, c.account_id), "status change"),
                          ChangeState::failed, problem);
    if (d.changes_account()) apply_update(working, d.update, originals);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

std::unordered_set<RowId> exempt_units(const PortalSnapshot& p, const IdlePolicy& policy) {
  std::unordered_set<RowId> out;
  std::unordered_map<RowId, const OrgUnit*> by_id;
  for (const auto& u : p.units) by_id[u.id] = &u;
  for (const auto& u : p.units) {
    // Walk up (bounded: a cycle in the portal must not hang the rule).
    const OrgUnit* k = &u;
    for (std::size_t steps = 0; k && steps <= p.units.size(); ++steps) {
      if (std::find(policy.exempt_unit_codes.begin(), policy.exempt_unit_codes.end(), k->code) !=
          policy.exempt_unit_codes.end()) {
        out.insert(u.id);
        break;
      }
      auto parent = k->parent_id ? by_id.find(*k->parent_id) : by_id.end();
      k = parent == by_id.end() ? nullptr : parent->second;
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

IdleAssessment assess_idle(const PortalSnapshot& portal, const IdlePolicy& policy, TimePoint now) {
  using std::chrono::days;
  IdleAssessment out;
  if (!policy.enabled) return out;
  auto exempt = exempt_units(portal, policy);
  Agencies agencies(portal);
  for (const auto& a : portal.accounts) {
    if (a.status() != "enabled" || contains(policy.exempt_roles, a.role()) ||
        contains(policy.exempt_usernames, a.username()) || exempt.count(a.org_unit_id))
      continue;
    IdleAccount idle;
    idle.account_id = a.id;
    idle.username = a.username();
    idle.agency = agencies.agency_name(a.org_unit_id);
    idle.baseline_source = a.last_login_at().empty() ? "activated_at" : "last_login_at";
    idle.baseline = a.last_login_at().empty() ? a.activated_at() : a.last_login_at();
    auto baseline = parse_timestamp(idle.baseline);
    if (!baseline) {
      out.no_baseline.emplace_back(a.username());
      continue;
    }
    idle.days_idle = std::chrono::duration_cast<days>(now - *baseline).count();
    idle.disable_at = *baseline + days(policy.after_days);
    if (idle.disable_at <= now) {
      auto problems = handover_problems(portal, a);
      idle.blocked_by = join_problems(problems);
      (problems.empty() ? out.due : out.blocked).push_back(std::move(idle));
    } else if (idle.disable_at <= now + days(policy.warn_days)) {
      out.upcoming.push_back(std::move(idle));
    }
  }
  return out;
}

std::vector<RuleDecision> decide_idle_disables(PortalSnapshot& working, const IdlePolicy& policy,
                                               TimePoint now, std::vector<Account>* originals) {
  std::vector<RuleDecision> out;
  auto assessment = assess_idle(working, policy, now);
  auto decision = [&](const IdleAccount& idle) {
    RuleDecision d;
    d.actor = "rule:idle";
    d.account_id = idle.account_id;
    d.username = idle.username;
    d.category = "status change";
    d.update.account_id = idle.account_id;
    return d;
  };
  // Handover state can change as earlier accounts are disabled, so each is checked again here.
  for (const auto& idle : assessment.due) {
    auto d = decision(idle);
    const Account* a = find_account(working, idle.account_id);
    if (auto problems = handover_problems(working, *a); !problems.empty()) {
      d.state = ChangeState::blocked;
      d.outcome = "idle " + std::to_string(idle.days_idle) +
                  " days but not disabled: " + join_problems(problems);
    } else {
      d.state = ChangeState::done;
      d.update.status = "disabled";
      d.update.disabled_reason = "idle: no sign-in for " + std::to_string(idle.days_idle) +
                                 " days (" + idle.baseline_source + " " + idle.baseline + ")";
      d.outcome = idle.username + " disabled: " + *d.update.disabled_reason;
      apply_update(working, d.update, originals);
    }
    out.push_back(std::move(d));
  }
  for (const auto& idle : assessment.blocked) {
    auto d = decision(idle);
    d.state = ChangeState::blocked;
    d.outcome =
        "idle " + std::to_string(idle.days_idle) + " days but not disabled: " + idle.blocked_by;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace ps
