// The sample portal's reserved-effect changes (預約生效): a few falling due in the week after the
// reference time, so a demo's reserved-changes page has something to show, one of them blocked.
#pragma once

#include <soci/soci.h>

#include "core/clock.h"

namespace ps::sample {

// Writes, for accounts already in the portal: a transfer (tomorrow), the disable of a shared
// account's custodian (in two days; the handover check blocks it while the custody stands), a
// role change (in three days) and a retirement disable (in five), each at 08:00 Taiwan time.
// Writes fewer when the sample has too few accounts, units or shared accounts for them.
void write_reserved_changes(soci::session& sql, TimePoint now);

}  // namespace ps::sample
