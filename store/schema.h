// The portal interface tables (the contract with the portal, docs/portal-schema.md) and
// portalsync's own tables, created and migrated by `portalsync db init`.
#pragma once

#include <soci/soci.h>

#include <string>

#include "core/result.h"

namespace ps {

// The version this build creates and reads, kept in ps_schema_version.
inline constexpr int kSchemaVersion = 12;

// Creates missing tables and migrates older versions, all in one transaction; safe to run again
// and while the portal writes. Refuses a database of a newer version, and one whose interface
// tables (created by the portal beforehand) lack a column the engine reads. Installs the change
// journal's triggers that are missing, every time.
Status init_portal_database(const std::string& url);

// Creates the interface tables the database lacks, and nothing else: for a portal's owner role
// setting up a new portal database on a server, where portalsync's own role may not create
// tables beside the portal's (docs/portal-schema.md). `db init` does it itself when it may.
Status create_interface_tables(const std::string& url);

// Fails with a message naming the command to run when the schema is missing or of another
// version, or naming the missing columns when an interface table lacks some, or the tables whose
// change journal triggers are gone.
Status check_schema_version(soci::session& sql, const std::string& url);

// Fails naming every interface table that is missing and every column one lacks.
Status check_interface_columns(soci::session& sql, const std::string& url);

}  // namespace ps
