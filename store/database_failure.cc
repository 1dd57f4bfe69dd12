#include "store/database_failure.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace ps {

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// MariaDB's and Connector/C's error numbers (mysqld_error.h, errmsg.h).
StatusCode mariadb_code(unsigned int number) {
  constexpr std::array<unsigned int, 9> refused = {
      1044,   // access denied to the database
      1045,   // access denied for the user (password)
      1049,   // unknown database
      1142,   // a command denied on a table
      1143,   // a command denied on a column
      1227,   // a privilege missing for the operation
      1356,   // portalsync's view lacks rights on its interface table
      1370,   // execute denied on a routine
      1698};  // access denied (no password allowed)
  constexpr std::array<unsigned int, 8> unavailable = {2002, 2003,
                                                       2006, 2013,  // cannot connect, gone, lost
                                                       1040,        // too many connections
                                                       1053,        // server shutdown in progress
                                                       1927,        // connection killed
                                                       4031};       // disconnected for inactivity
  if (std::find(refused.begin(), refused.end(), number) != refused.end())
    return StatusCode::refused;
  if (std::find(unavailable.begin(), unavailable.end(), number) != unavailable.end())
    return StatusCode::unavailable;
  return StatusCode::error;
}

// SQLSTATE classes: 28 (authorization), 42501 (insufficient privilege), 3D000 (no such database)
// are refusals; 08 (connection), 57P (shutdown, starting up), 53 (resources) are not answers.
StatusCode postgresql_code(const std::string& state) {
  if (state == "42501" || state == "3D000" || state.rfind("28", 0) == 0) return StatusCode::refused;
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.rfind("53", 0) == 0)
    return StatusCode::unavailable;
  return StatusCode::error;
}

// libpq's connection failures carry no SQLSTATE through SOCI: the server's FATAL line says
// whether it refused this client or was itself not ready.
StatusCode libpq_connect_code(const std::string& message) {
  if (contains(message, "fe_sendauth: no password supplied")) return StatusCode::refused;
  if (!contains(message, "FATAL:")) return StatusCode::unavailable;
  for (auto transient : {"the database system is", "too many", "terminating connection",
                         "remaining connection slots", "shutting down"})
    if (contains(message, transient)) return StatusCode::unavailable;
  return StatusCode::refused;
}

}  // namespace

StatusCode database_failure_code(const std::exception& e) {
  if (const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e))
    return mariadb_code(m->err_num_);
  if (const auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    auto code = postgresql_code(p->sqlstate());
    if (code != StatusCode::error) return code;
  }
  std::string message = e.what();
  if (contains(message, "Cannot establish connection")) return libpq_connect_code(message);
  // A statement on a connection the server closed: libpq has no SQLSTATE to give.
  for (auto lost : {"server closed the connection", "no connection to the server",
                    "terminating connection", "could not receive data", "could not send data",
                    "SSL SYSCALL error", "connection to server"})
    if (contains(message, lost)) return StatusCode::unavailable;
  return StatusCode::error;
}

std::string database_failure_hint(const std::exception& e) {
  if (database_failure_code(e) != StatusCode::refused) return "";
  std::string message = e.what();
  if (const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e); m && m->err_num_ == 1356)
    return " (portalsync's view reads the portal's table with portalsync's own rights: its "
           "account lacks a grant on that table, or the table a column; docs/portal-schema.md "
           "lists the GRANTs)";
  if (contains(message, "password") || contains(message, "Access denied for user"))
    return " (check the account and its password in the passfile or option file)";
  return " (portalsync's account lacks a grant: docs/portal-schema.md lists them)";
}

}  // namespace ps
