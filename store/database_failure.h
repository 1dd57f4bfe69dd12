// What kind of failure a database exception is, for the daemon that decides whether to wait: a
// server that does not answer (down, restarting, shutting down, too many connections) may answer
// later; one that answers and refuses (a wrong password, a role or database that does not exist, a
// missing grant) waits for a person. Each backend says so in its own codes (PostgreSQL's SQLSTATE
// and libpq's FATAL lines, MariaDB's error numbers); this is the one place that reads them.
#pragma once

#include <exception>
#include <string>

#include "core/result.h"

namespace ps {

// StatusCode::unavailable, StatusCode::refused, or StatusCode::error for any other failure.
StatusCode database_failure_code(const std::exception& e);

// For a refusal, what to do about it ("" otherwise), to follow the database's own words.
std::string database_failure_hint(const std::exception& e);

}  // namespace ps
