#include "daemon/actions/quarantine_release.h"

#include <chrono>

#include "core/clock.h"
#include "core/portal_lookup.h"
#include "core/quarantine.h"

namespace ps::actions {

// A released object stays tracked as pending (failures 0, not quarantined), so every scoped run
// plans it until its operations are applied; the journal entry wakes portalsyncd at once.
ActionResult<std::size_t> release_quarantine(PortalStore& store, const PortalSnapshot& portal,
                                             const ReleaseTarget& target,
                                             const std::string& actor) {
  auto entries = store.load_quarantine();
  if (!entries) return refuse(Refusal::failed, entries.error());
  std::vector<QuarantineEntry> after = entries.value(), released;
  for (auto& e : after) {
    if (target.kind && (e.kind != *target.kind || e.portal_id != target.id)) continue;
    if (!e.quarantined && e.failures == 0) continue;  // pending already
    e.quarantined = false;
    e.failures = 0;
    e.last_error = "released by " + actor + "; not sent since";
    released.push_back(e);
  }
  if (target.kind && released.empty())
    return refuse(Refusal::not_found, std::string(to_string(*target.kind)) + " " +
                                          std::to_string(target.id) + " is not failing");
  std::vector<ChangeRecord> records;
  auto now = format_utc(std::chrono::system_clock::now());
  for (const auto& e : released)
    records.push_back(quarantine_record(e, true, unit_of(portal, e.kind, e.portal_id), actor, now));
  if (auto st = store.release_quarantine(after, released, records); !st)
    return refuse(Refusal::failed, st.message());
  return released.size();
}

}  // namespace ps::actions
