#include "core/quarantine.h"

#include "core/apply.h"

#include <algorithm>
#include <map>

namespace ps {

namespace {

using Key = std::pair<ObjectKind, RowId>;

Key key_of(const Operation& op) { return {op.kind, op.portal_id}; }

}  // namespace

std::size_t hold_quarantined(Plan& plan, const std::vector<QuarantineEntry>& entries) {
  std::map<Key, const QuarantineEntry*> quarantined;
  for (const auto& e : entries)
    if (e.quarantined) quarantined.emplace(Key{e.kind, e.portal_id}, &e);
  std::size_t held = 0;
  for (auto& op : plan.operations) {
    if (op.held || op.portal_id == 0) continue;
    auto it = quarantined.find(key_of(op));
    if (it == quarantined.end()) continue;
    op.held = true;
    op.held_by = "quarantine after " + std::to_string(it->second->failures) +
                 " failed runs (`portalsync quarantine release`): " + it->second->last_error;
    ++held;
  }
  return held;
}

namespace {

// An operation that was planned and neither applied nor failed: skipped (a dependant of a failed
// or held one, or a run that stopped), held, or of unknown outcome.
bool not_applied(OpState s) { return s != OpState::applied && s != OpState::failed; }

// Whether this run planned the object, so that having no operation for it means it is in step.
// A scoped run plans every tracked account and shared account (the engine adds them to its
// scope); the rest only a full run does.
bool planned_by(const Plan& plan, const QuarantineEntry& e) {
  return !plan.scoped || e.kind == ObjectKind::account || e.kind == ObjectKind::shared_account;
}

}  // namespace

std::vector<QuarantineEntry> track_failures(std::vector<QuarantineEntry> entries, const Plan& plan,
                                            const ApplyReport& report,
                                            const QuarantinePolicy& policy,
                                            const std::string& now) {
  // Per object: did an operation fail, was one not applied, and the first such message.
  struct Outcome {
    bool failed = false, pending = false;
    std::string error, subject;
  };
  std::map<Key, Outcome> outcomes;
  for (std::size_t i = 0; i < plan.operations.size() && i < report.states.size(); ++i) {
    const auto& op = plan.operations[i];
    if (op.portal_id == 0) continue;
    auto& o = outcomes[key_of(op)];
    o.subject = op.subject;
    if (report.states[i] == OpState::failed && !o.failed) {
      o.failed = true;
      o.error = report.errors[i];
    } else if (not_applied(report.states[i]) && !o.pending) {
      o.pending = true;
      if (!o.failed) o.error = report.errors[i];
    }
  }
  // Every other object the run planned has nothing left to do: in step, so forgotten.
  std::erase_if(entries, [&](const QuarantineEntry& e) {
    return !e.quarantined && planned_by(plan, e) && !outcomes.count({e.kind, e.portal_id});
  });
  for (const auto& [key, o] : outcomes) {
    auto it = std::find_if(entries.begin(), entries.end(), [&, k = key](const QuarantineEntry& e) {
      return e.kind == k.first && e.portal_id == k.second;
    });
    if (!o.failed && !o.pending) {  // all applied
      if (it != entries.end() && !it->quarantined) entries.erase(it);
      continue;
    }
    if (it == entries.end()) {
      entries.push_back({key.first, key.second, o.subject, 0, now, now, "", false});
      it = entries.end() - 1;
    }
    if (it->quarantined) continue;  // its operations were held by the quarantine itself
    it->subject = o.subject;
    it->last_error = o.error;
    if (!o.failed) continue;  // pending: kept in scope for the next run, no failure counted
    ++it->failures;
    it->last_failed_at = now;
    if (policy.after > 0 && it->failures >= policy.after) it->quarantined = true;
  }
  return entries;
}

ChangeRecord quarantine_record(const QuarantineEntry& e, bool released, RowId unit_id,
                               const std::string& actor, const std::string& at) {
  ChangeRecord r;
  r.at = at;
  r.actor = actor;
  r.operation = released ? "release" : "quarantine";
  r.kind = subject_kind(e.kind);
  r.subject_id = e.portal_id;
  r.subject_name = e.subject;
  r.unit_id = unit_id;
  r.category = "quarantine";
  r.reason =
      released ? "released by hand" : "failed " + std::to_string(e.failures) + " runs in a row";
  r.result = "done";
  r.message = e.last_error;
  return r;
}

RowId planned_unit(const Plan& plan, ObjectKind kind, RowId portal_id) {
  for (const auto& op : plan.operations)
    if (op.kind == kind && op.portal_id == portal_id) return op.unit_id;
  return 0;
}

}  // namespace ps
