#include "core/mass_change_guard.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace ps {

bool is_destructive(const Operation& op) {
  return op.kind == ObjectKind::account &&
         (op.type == OpType::disable || op.type == OpType::remove);
}

namespace {

// FNV-1a over the sorted operations: a name for the set, not a security measure.
std::string fingerprint_of(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  std::uint64_t h = 1469598103934665603ull;
  for (const auto& k : keys) {
    for (unsigned char c : k) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
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
