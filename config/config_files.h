// The files a configuration names: where relative paths point, whether a file can be read, and
// reading the bind password without ever putting its content into a message.
#pragma once

#include <string>

#include "core/result.h"

namespace ps {

// Relative paths in the configuration are relative to the configuration file's directory, not to
// wherever the tool happens to be started.
std::string resolve_path(const std::string& config_path, const std::string& value);

// The same for the database file of a "sqlite3://db=FILE ..." or "sqlite3://FILE" connection
// string; other connection strings come back unchanged.
std::string resolve_database(const std::string& config_path, const std::string& connection);

// ok when `path` is a regular file this process can open for reading.
Status check_readable_file(const std::string& path);

// The content of a secret file without its trailing newline. Messages name the file and never
// include what is in it.
Result<std::string> read_secret_file(const std::string& path);

// True when users other than the owner may read `path` (group or others read bits).
bool readable_by_others(const std::string& path);

}  // namespace ps
