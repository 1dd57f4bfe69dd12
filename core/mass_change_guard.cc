#include "core/mass_change_guard.h"

#include <algorithm>
#include <vector>

#include "core/json.h"
#include "core/sha256.h"

namespace ps {

// Every delete (an account, a shared account, a unit's OU, an entitlement group) and every
// disable takes something away that is hard or impossible to give back (an AD objectGUID, a SID,
// what hangs off them).
bool is_destructive(const Operation& op) {
  return op.type == OpType::remove || op.type == OpType::disable;
}

std::string held_sample_json(const Plan& plan, std::size_t limit) {
  JsonWriter w;
  w.begin_array();
  std::size_t written = 0;
  for (const auto& op : plan.operations) {
    if (!is_destructive(op)) continue;
    if (written++ == limit) break;
    w.begin_object()
        .key("operation")
        .value(to_string(op.type))
        .key("kind")
        .value(to_string(op.kind));
    w.key("subject").value(op.subject).key("dn").value(op.dn).key("reason").value(op.reason);
    w.end_object();
  }
  w.end_array();
  return w.str();
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

namespace {

// "disable 3 accounts, delete 600 accounts, 12 units and 2 groups"
std::string kinds_of(const Plan& plan) {
  std::size_t disables = 0, deletes[4] = {0, 0, 0, 0};
  for (const auto& op : plan.operations) {
    if (op.type == OpType::disable) ++disables;
    if (op.type == OpType::remove) ++deletes[static_cast<int>(op.kind)];
  }
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::vector<std::string> parts;
  std::size_t accounts = deletes[static_cast<int>(ObjectKind::account)] +
                         deletes[static_cast<int>(ObjectKind::shared_account)];
  if (accounts) parts.push_back(count(accounts, "account", "accounts"));
  if (auto n = deletes[static_cast<int>(ObjectKind::org_unit)])
    parts.push_back(count(n, "unit", "units"));
  if (auto n = deletes[static_cast<int>(ObjectKind::group)])
    parts.push_back(count(n, "group", "groups"));
  std::string out = disables ? "disable " + count(disables, "account", "accounts") : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i == 0)
      out += out.empty() ? "delete " : ", delete ";
    else
      out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

// A portal table that reads empty while the directory holds its entries is a broken export or
// a wrong database far more often than a real decision.
std::string emptied_table(const Plan& plan) {
  if (plan.scoped) return "";  // a scoped run loads only its part of the portal
  const auto& s = plan.summary;
  if (s.portal_accounts == 0 && s.directory_accounts > 0) return "the portal has no accounts";
  if (s.portal_units == 0 && s.directory_units > 0) return "the portal has no org units";
  return "";
}

}  // namespace

GuardVerdict evaluate_mass_change(const Plan& plan, const GuardPolicy& policy) {
  GuardVerdict v;
  const auto& s = plan.summary;
  v.managed = s.directory_accounts + s.directory_units + s.directory_groups;
  std::vector<std::string> keys;
  for (const auto& op : plan.operations)
    if (is_destructive(op)) keys.push_back(std::string(to_string(op.type)) + " " + op.dn);
  v.destructive = keys.size();
  v.fingerprint = fingerprint_of(std::move(keys));
  if (v.destructive == 0) return v;
  bool over_count = v.destructive > policy.max_disables;
  bool over_percent =
      v.destructive >= policy.percent_floor && v.managed > 0 &&
      v.destructive * 100 > v.managed * static_cast<std::size_t>(policy.max_disable_percent);
  auto emptied = emptied_table(plan);
  v.trips = over_count || over_percent || !emptied.empty();
  if (!v.trips) return v;
  v.reason = "the run would " + kinds_of(plan) + " (" + std::to_string(v.destructive) + " of " +
             std::to_string(v.managed) +
             " managed entries; limits: " + std::to_string(policy.max_disables) + " per run, " +
             std::to_string(policy.max_disable_percent) + "% of the managed entries)";
  if (!emptied.empty()) v.reason += " and " + emptied;
  return v;
}

void hold_destructive(Plan& plan) {
  for (auto& op : plan.operations)
    if (is_destructive(op)) {
      op.held = true;
      op.held_by = "the mass-change guard";
    }
}

std::vector<FrozenEntry> held_entries(const Plan& plan) {
  std::vector<FrozenEntry> out;
  for (const auto& op : plan.operations)
    if (op.held)
      out.push_back({op.anchor.empty() ? op.dn : op.anchor, op.dn,
                     "held by " + op.held_by + ": " + std::string(to_string(op.type)) + " " + op.dn,
                     0});
  return out;
}

void restore_held(Plan& replanned, const Plan& held) {
  for (const auto& op : held.operations)
    if (op.held) {
      replanned.operations.push_back(op);
      replanned.operations.back().depends_on.clear();
    }
}

}  // namespace ps
