// Custody breaches: what a portal-side disable or transfer left behind. The portal is the master,
// so such a change applies (someone who left must not keep a usable account), but the run must
// say loudly which shared accounts are left without a custodian in their unit and which units are
// left without an enabled agency admin, until custody is handed over (docs/policies.md).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/change_log.h"
#include "core/json.h"
#include "core/model.h"

namespace ps {

enum class BreachKind { orphaned_shared_account, unit_without_admin };
std::string_view to_string(BreachKind k);  // "orphaned shared account", "unit without admin"
std::optional<BreachKind> parse_breach_kind(std::string_view s);

struct CustodyBreach {
  BreachKind kind = BreachKind::orphaned_shared_account;
  RowId subject_id = 0;  // the shared account, or the unit
  std::string subject;   // its username, or the unit's name
  RowId unit_id = 0;     // the unit it concerns
  std::string reason;    // what is wrong and what to do about it
  std::string since;     // when a run first saw it (set by track_breaches)
};

// The change-log category of breach records.
inline constexpr std::string_view kCustodyBreachCategory = "custody breach";

// Units with at least one enabled agency admin in them (what the next run compares against).
std::set<RowId> units_with_enabled_admin(const PortalSnapshot& portal);

// Every breach in a complete snapshot, in a stable order (kind, then subject id):
//  - an enabled shared account whose custodian is gone, not enabled, or in another unit;
//  - an active unit with enabled accounts and no enabled agency admin, when it had one before
//    (`admin_units_before`: units_with_enabled_admin of the last run) or still has an agency
//    admin who is not enabled.
// Pure: the same snapshot and memory always give the same breaches.
std::vector<CustodyBreach> custody_breaches(const PortalSnapshot& portal,
                                            const std::set<RowId>& admin_units_before);

// The units to remember for the next run: those with an enabled admin now, and those still in
// breach (so the breach stays open until an admin is appointed or the unit empties).
std::set<RowId> admin_units_to_remember(const PortalSnapshot& portal,
                                        const std::vector<CustodyBreach>& open);

// What a run remembers between runs (PortalStore::load_custody_watch): the open breaches and the
// units that had an enabled agency admin (admin_units_to_remember).
struct CustodyWatch {
  std::vector<CustodyBreach> open;
  std::set<RowId> admin_units;
};

// Breaches compared with the open ones of the last run: each is recorded once when it starts and
// once when it ends, never again on every run.
struct BreachChanges {
  std::vector<CustodyBreach> open;     // now, with `since` carried over from `before`
  std::vector<CustodyBreach> started;  // not open before
  std::vector<CustodyBreach> ended;    // open before, gone now
};
BreachChanges track_breaches(const std::vector<CustodyBreach>& before,
                             std::vector<CustodyBreach> now, const std::string& at);

// The change-log record of a breach starting (result "open") or ending (result "resolved").
ChangeRecord breach_record(const CustodyBreach& b, bool started, const std::string& at);

// The breaches as a JSON array of {kind, subject_id, subject, unit_id, reason, since}.
void breaches_json(JsonWriter& w, const std::vector<CustodyBreach>& breaches);

// One line for output and logs: "shared account civil.box (unit 2): <reason>".
std::string describe(const CustodyBreach& b);

}  // namespace ps
