// What the harnesses of the database servers (PostgreSQL, MariaDB) share while setting one up.
#pragma once

#include <string>

#include "tests/support/process.h"

namespace ps::testing {

// A random lowercase hex string: passwords, names.
std::string random_hex(int length);

// Throws with the tool's output when it failed.
void require_success(const RunResult& r, const std::string& what);

// The SQL block of docs/portal-schema.md between <!-- marker --> and <!-- /marker -->; throws when
// there is none.
std::string documented_sql(const std::string& marker);

}  // namespace ps::testing
