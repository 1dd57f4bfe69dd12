// The portal interface tables (the contract with the portal, docs/portal-schema.md) and
// portalsync's own tables, created and migrated by `portalsync db init`.
#pragma once

#include <soci/soci.h>

#include <string>

#include "core/result.h"

namespace ps {

inline constexpr int kSchemaVersion = 1;

// Creates missing tables and migrates older versions; safe to run again.
Status init_portal_database(const std::string& url);

// Fails with a message naming the command to run when the schema is missing or of another version.
Status check_schema_version(soci::session& sql, const std::string& url);

}  // namespace ps
