// A MariaDB connection string ("mysql://db=portal host=... user=... option_file=FILE") turned
// into what SOCI's mysql backend reads. The password comes from the option file (the [client]
// and [client-mariadb] groups, as MariaDB's own clients read them), never from the string, so it
// never reaches the configuration, a message or a log.
#pragma once

#include <string>

#include "core/result.h"

namespace ps {

// SOCI's parameters for the part after "mysql://": the string's own parameters, then the option
// file's user, password, host, port, socket and database where the string has none.
Result<std::string> mariadb_connect_string(const std::string& params);

}  // namespace ps
