// Reading the interface tables into a PortalSnapshot, table by table: the whole snapshot
// (store_snapshot.cc) and a scoped run's partial one (store_partial_snapshot.cc) share them. The
// rows are taken as stored: checking them is the engine's job, so a bad row never stops the load.
// Failures throw, like SOCI; the callers turn them into results.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "core/model.h"

namespace ps {

void load_units(soci::session& sql, PortalSnapshot& p);
void load_shared_accounts(soci::session& sql, PortalSnapshot& p);
void load_systems(soci::session& sql, PortalSnapshot& p);
std::vector<Grant> load_grants(soci::session& sql, const std::string& query);

std::size_t count_accounts(soci::session& sql);
// Appends the accounts matching `where` (an SQL condition; "" for every account).
void load_accounts(soci::session& sql, const std::string& where, PortalSnapshot& p);

}  // namespace ps
