#include "core/custody_breach.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/agency.h"
#include "core/portal_lookup.h"

namespace ps {

std::string_view to_string(BreachKind k) {
  return k == BreachKind::orphaned_shared_account ? "orphaned shared account"
                                                  : "unit without admin";
}

std::optional<BreachKind> parse_breach_kind(std::string_view s) {
  if (s == "orphaned shared account") return BreachKind::orphaned_shared_account;
  if (s == "unit without admin") return BreachKind::unit_without_admin;
  return std::nullopt;
}

namespace {

bool is_agency_admin(const Account& a) { return a.role() == "agency_admin"; }
bool is_enabled(const Account& a) { return a.status() == "enabled"; }

// Why the shared account has no custodian in its agency (its unit while no unit is marked as an
// agency), or "" when it has one. `c`: its custodian's row, nullptr when the portal has none.
std::string orphan_reason(const Agencies& agencies, const SharedAccount& s, const Account* c) {
  auto agency = agencies.rule_unit_of(s.org_unit_id);
  if (c && is_enabled(*c) && agencies.rule_unit_of(c->org_unit_id) == agency) return "";
  std::string unit = agencies.rule_unit_name(s.org_unit_id);
  std::string why;
  if (!c)
    why = "its custodian (account " + std::to_string(s.custodian_id) + ") is gone from the portal";
  else if (!is_enabled(*c))
    why = "its custodian " + std::string(c->username()) + " is " + std::string(c->status());
  else
    why = "its custodian " + std::string(c->username()) + " is in " +
          agencies.rule_unit_name(c->org_unit_id) + ", not in " + unit;
  return why + ": hand custody to an enabled account of " + unit +
         " (portalsync custody transfer " + s.username + " --to USERNAME)";
}

}  // namespace

std::set<RowId> units_with_enabled_admin(const PortalSnapshot& portal) {
  std::set<RowId> out;
  Agencies agencies(portal);
  for (const auto& a : portal.accounts)
    if (is_agency_admin(a) && is_enabled(a)) out.insert(agencies.rule_unit_of(a.org_unit_id));
  return out;
}

std::vector<CustodyBreach> custody_breaches(const PortalSnapshot& portal,
                                            const std::set<RowId>& admin_units_before) {
  std::vector<CustodyBreach> out;
  Agencies agencies(portal);
  std::unordered_map<RowId, const Account*> custodians;  // a lookup per shared account: no scan
  for (const auto& s : portal.shared_accounts) custodians.emplace(s.custodian_id, nullptr);
  for (const auto& a : portal.accounts)
    if (auto it = custodians.find(a.id); it != custodians.end()) it->second = &a;
  for (const auto& s : portal.shared_accounts) {
    if (s.status != "enabled") continue;
    auto why = orphan_reason(agencies, s, custodians[s.custodian_id]);
    if (!why.empty())
      out.push_back(
          {BreachKind::orphaned_shared_account, s.id, s.username, s.org_unit_id, why, ""});
  }
  // Per agency (per unit while none is marked): enabled accounts, enabled admins, and admins who
  // are not enabled.
  struct Counts {
    int enabled = 0, admins = 0;
    std::string inactive_admins;
  };
  std::map<RowId, Counts> units;
  for (const auto& a : portal.accounts) {
    auto& c = units[agencies.rule_unit_of(a.org_unit_id)];
    if (is_enabled(a)) ++c.enabled;
    if (is_agency_admin(a) && is_enabled(a)) ++c.admins;
    if (is_agency_admin(a) && !is_enabled(a))
      c.inactive_admins += (c.inactive_admins.empty() ? "" : ", ") + std::string(a.username()) +
                           " is " + std::string(a.status());
  }
  for (const auto& [id, c] : units) {
    if (c.enabled == 0 || c.admins > 0) continue;
    if (!admin_units_before.count(id) && c.inactive_admins.empty()) continue;  // never had one
    const OrgUnit* u = find_unit(portal, id);
    if (!u || !u->active) continue;
    std::string why = u->name + " has no enabled agency admin (" +
                      (!c.inactive_admins.empty() ? c.inactive_admins
                       : agencies.marked()        ? "its agency admin left the agency"
                                                  : "its agency admin left the unit") +
                      "): appoint one (portalsync role set USERNAME agency_admin)";
    out.push_back({BreachKind::unit_without_admin, id, u->name, id, why, ""});
  }
  std::stable_sort(out.begin(), out.end(), [](const CustodyBreach& a, const CustodyBreach& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.subject_id < b.subject_id;
  });
  return out;
}

std::set<RowId> admin_units_to_remember(const PortalSnapshot& portal,
                                        const std::vector<CustodyBreach>& open) {
  auto out = units_with_enabled_admin(portal);
  for (const auto& b : open)
    if (b.kind == BreachKind::unit_without_admin) out.insert(b.subject_id);
  return out;
}

BreachChanges track_breaches(const std::vector<CustodyBreach>& before,
                             std::vector<CustodyBreach> now, const std::string& at) {
  auto key = [](const CustodyBreach& b) { return std::make_pair(b.kind, b.subject_id); };
  std::map<std::pair<BreachKind, RowId>, const CustodyBreach*> was;
  for (const auto& b : before) was[key(b)] = &b;
  BreachChanges out;
  for (auto& b : now) {
    auto it = was.find(key(b));
    if (it == was.end()) {
      b.since = at;
      out.started.push_back(b);
    } else {
      b.since = it->second->since;
      was.erase(it);
    }
  }
  for (const auto& b : before)
    if (was.count(key(b))) out.ended.push_back(b);
  out.open = std::move(now);
  return out;
}

ChangeRecord breach_record(const CustodyBreach& b, bool started, const std::string& at) {
  ChangeRecord r;
  r.at = at;
  r.operation = started ? "breach" : "breach resolved";
  r.kind = b.kind == BreachKind::orphaned_shared_account ? SubjectKind::shared_account
                                                         : SubjectKind::org_unit;
  r.subject_id = b.subject_id;
  r.subject_name = b.subject;
  r.unit_id = b.unit_id;
  r.category = std::string(kCustodyBreachCategory);
  r.reason = std::string(to_string(b.kind));
  r.result = started ? "open" : "resolved";
  r.message = started ? b.reason : "resolved (open since " + b.since + "): was: " + b.reason;
  return r;
}

void breaches_json(JsonWriter& w, const std::vector<CustodyBreach>& breaches) {
  w.begin_array();
  for (const auto& b : breaches)
    w.begin_object()
        .key("kind")
        .value(to_string(b.kind))
        .key("subject_id")
        .value(static_cast<std::int64_t>(b.subject_id))
        .key("subject")
        .value(b.subject)
        .key("unit_id")
        .value(static_cast<std::int64_t>(b.unit_id))
        .key("reason")
        .value(b.reason)
        .key("since")
        .value(b.since)
        .end_object();
  w.end_array();
}

std::string describe(const CustodyBreach& b) {
  if (b.kind == BreachKind::orphaned_shared_account)
    return "shared account " + b.subject + " has no custodian in its unit: " + b.reason;
  return "unit " + b.subject + ": " + b.reason;
}

}  // namespace ps
