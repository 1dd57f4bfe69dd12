// Desired state (portal rows) against actual state (the managed subtree) -> an ordered plan.
// Parents are created before children, moves and renames are modrdn (never delete + add), only
// attributes that differ are modified, and emptied OUs of retired units are deleted children-first.
#pragma once

#include <vector>

#include "core/directory.h"
#include "core/mapping.h"
#include "core/model.h"
#include "core/plan.h"
#include "core/plan_scope.h"
#include "core/portal_validation.h"

namespace ps {

Plan plan_sync(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
               const DirectoryReadResult& directory, const MappingOptions& mapping);
// The same with the portal already validated (validate_portal(portal, mapping)): the engine
// validates while the directory is still being read. `hold`: entries to leave exactly as they
// are (the guard's held operations), on top of those of rejected rows, which are always frozen.
Plan plan_sync(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
               const DirectoryReadResult& directory, const MappingOptions& mapping,
               ValidatedPortal valid, const std::vector<FrozenEntry>& hold = {});

// A plan for just the objects in `scope`, from a selective read (core/selective_read.h): units
// and group attributes as usual, the scope's accounts, and only their group memberships. Nothing
// is concluded from an entry the read did not return: no unit is removed, only the entries
// linked to a scoped row that is gone are. Plan::needs_full says when that is not enough.
Plan plan_scoped(const PortalSnapshot& portal, const std::vector<IdentityLink>& links,
                 const DirectoryReadResult& directory, const MappingOptions& mapping,
                 const PlanScope& scope, const std::vector<FrozenEntry>& hold = {});

// The modifications that turn `actual` into `desired` (nullptr actual: an entry with nothing).
// Attributes named in `skip` (compared case-insensitively) are left alone.
std::vector<Modification> diff_attributes(const DirectoryEntry* actual,
                                          const std::vector<DesiredAttribute>& desired,
                                          std::string_view skip = {});

}  // namespace ps
