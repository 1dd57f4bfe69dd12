#include "core/mass_change_guard.h"

#include <algorithm>
#include <vector>

#include "core/sha256.h"

namespace ps {

bool is_destructive(const Operation& op) {
  return op.kind == ObjectKind::account &&
         (op.type == OpType::disable || op.type == OpType::remove);
}

namespace {

// SHA-256 over the sorted operations: an approval binds exactly the set it was given for.
std::string fingerprint_of(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  std::string joined;  // length-prefixed, so no two sets join to the same text
  for (const auto& k : keys) joined.append(std::to_string(k.size())).append(":").append(k);
  return sha256_hex(joined);
}

}  // namespace

GuardVerdict evaluate_mass_change(const Plan& plan, const GuardPolicy& policy) {
  GuardVerdict v;
  v.managed = plan.summary.directory_accounts;
  std::vector<std::string> keys;
  for (const auto& op : plan.operations)
    if (is_destructive(op)) keys.push_back(std::string(to_string(op.type)) + " " + op.dn);
  v.destructive = keys.size();
  v.fingerprint = fingerprint_of(std::move(keys));
  bool over_count = v.destructive > policy.max_disables;
  bool over_percent =
      v.destructive >= policy.percent_floor && v.managed > 0 &&
      v.destructive * 100 > v.managed * static_cast<std::size_t>(policy.max_disable_percent);
  v.trips = over_count || over_percent;
  if (v.trips)
    v.reason = "the run would disable or delete " + std::to_string(v.destructive) + " of " +
               std::to_string(v.managed) +
               " accounts (limits: " + std::to_string(policy.max_disables) + " accounts, " +
               std::to_string(policy.max_disable_percent) + "% of the managed accounts)";
  return v;
}

void hold_destructive(Plan& plan) {
  for (auto& op : plan.operations)
    if (is_destructive(op)) {
      op.held = true;
      op.held_by = "the mass-change guard";
    }
}

}  // namespace ps
