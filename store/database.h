// Opening the portal database through SOCI from a connection string ("sqlite3://db=/path",
// "postgresql://..." or "mysql://..."), with the session settings the engine relies on.
#pragma once

#include <soci/soci.h>

#include <exception>
#include <memory>
#include <string>

#include "core/result.h"

namespace ps {

// Opens the database. With must_exist, a SQLite file that does not exist is an error instead of
// being created empty.
Result<std::unique_ptr<soci::session>> open_database(const std::string& url, bool must_exist);

// The SQLite file a "sqlite3://db=PATH ..." string names ("" for other backends).
std::string sqlite_path(const std::string& url);

// How messages name the database: the SQLite file, or the connection string (never a password).
std::string database_label(const std::string& url);
// The connection string with any password= value hidden, for a command a message suggests.
std::string without_password(const std::string& url);

// What a database exception says, for an error value: without the bound values SOCI appends
// ("with :n=\"...\"", possibly a national ID or other personal data; messages reach the logs) and
// without its backend function prefix.
std::string database_error(const std::exception& e);

// Integer columns come back as int, long long or text depending on backend and declaration.
long long column_int(const soci::row& r, std::size_t i);
// Text columns; NULL reads as "".
std::string column_text(const soci::row& r, std::size_t i);

}  // namespace ps
