// ps_posix_ids: the POSIX numbers portalsync assigned (core/posix.h). Rows are only ever added:
// a row whose portal row is gone keeps its number, so the number is never given to another.
#pragma once

#include <soci/soci.h>

#include "core/model.h"

namespace ps {

// Appends every assigned number to p.posix_ids. Throws like SOCI.
void load_posix_ids(soci::session& sql, PortalSnapshot& p);

}  // namespace ps
