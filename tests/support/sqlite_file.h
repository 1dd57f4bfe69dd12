// SQL on a SQLite file through the C API, as another program would run it: the portal writing
// its tables, an operator looking at the API host's records.
#pragma once

#include <string>

namespace ps::testing {

// Runs `sql` (one or more statements); throws std::runtime_error naming the SQL when it fails.
void sqlite_exec(const std::string& file, const std::string& sql);
// The first column of the first row as text; "" when there is no row.
std::string sqlite_query_one(const std::string& file, const std::string& sql);

}  // namespace ps::testing
