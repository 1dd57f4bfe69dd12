// Releasing quarantined (or failing) objects by hand, shared by `portalsync quarantine release`
// and POST /v1/quarantine/{kind}/{id}/release: each is put back as pending, so the next sync
// sends its operations again, and its release is recorded in the change log.
#pragma once

#include <optional>
#include <string>

#include "core/portal_store.h"
#include "daemon/actions/action_result.h"

namespace ps::actions {

// Which objects: one (by kind and portal id), or every failing one when `kind` is empty.
struct ReleaseTarget {
  std::optional<ObjectKind> kind;
  RowId id = 0;
};

// How many were released; not_found when the one named is not failing.
ActionResult<std::size_t> release_quarantine(PortalStore& store, const PortalSnapshot& portal,
                                             const ReleaseTarget& target, const std::string& actor);

}  // namespace ps::actions
