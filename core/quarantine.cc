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

std::vector<QuarantineEntry> track_failures(std::vector<QuarantineEntry> entries, const Plan& plan,
                                            const ApplyReport& report,
                                            const QuarantinePolicy& policy,
                                            const std::string& now) {
  // Per object: did an operation fail, did one succeed, and the first failure's message.
  struct Outcome {
    bool failed = false, applied = false;
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
    } else if (report.states[i] == OpState::applied) {
      o.applied = true;
    }
  }
  for (const auto& [key, o] : outcomes) {
    auto it = std::find_if(entries.begin(), entries.end(), [&, k = key](const QuarantineEntry& e) {
      return e.kind == k.first && e.portal_id == k.second;
    });
    if (!o.failed) {
      if (o.applied && it != entries.end() && !it->quarantined) entries.erase(it);
      continue;
    }
    if (it == entries.end()) {
      entries.push_back({key.first, key.second, o.subject, 0, now, now, "", false});
      it = entries.end() - 1;
    }
    ++it->failures;
    it->subject = o.subject;
    it->last_failed_at = now;
    it->last_error = o.error;
    if (policy.after > 0 && it->failures >= policy.after) it->quarantined = true;
  }
  return entries;
}

}  // namespace ps
