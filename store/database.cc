#include "store/database.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <regex>
#include <utility>
#include <vector>

#include "store/database_failure.h"
#include "store/dialect.h"
#include "store/mariadb_options.h"

namespace ps {

std::string sqlite_path(const std::string& url) {
  const std::string prefix = "sqlite3://";
  if (url.rfind(prefix, 0) != 0) return "";
  auto params = url.substr(prefix.size());
  auto pos = params.find("db=");
  if (pos == std::string::npos) return params;
  auto end = params.find(' ', pos);
  return params.substr(pos + 3, end == std::string::npos ? std::string::npos : end - pos - 3);
}

// A password has no place in a connection string (the configuration refuses one); should one
// come from elsewhere (--database), it never reaches a message.
std::string without_password(const std::string& url) {
  static const std::regex password("\\b(password|pass)=[^ ]*");
  return std::regex_replace(url, password, "$1=(hidden)");
}

std::string database_label(const std::string& url) {
  if (auto path = sqlite_path(url); !path.empty()) return path;
  return without_password(url);
}

const Dialect& dialect_of(soci::session& sql) {
  const auto& backend = sql.get_backend_name();
  if (backend == "postgresql") return postgresql_dialect();
  if (backend == "mysql") return mariadb_dialect();
  return sqlite_dialect();
}

namespace {

const std::string kSqlitePrefix = "sqlite3://";
const std::string kPostgresqlPrefix = "postgresql://";
const std::string kMariadbPrefix = "mysql://";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// `params` with each of `defaults` the string does not set itself.
std::string with_defaults(std::string params,
                          const std::vector<std::pair<std::string, std::string>>& defaults) {
  for (const auto& [key, value] : defaults)
    if (!std::regex_search(params, std::regex("(^|\\s)" + key + "=")))
      params += " " + key + "=" + value;
  return params;
}

// Without limits, a server that stops answering (its machine gone, a partition) would hold a run,
// the journal poll or an admin request until the kernel gives up on the connection, which takes
// many minutes. With them a dead server is noticed within about a minute: connecting gives up
// after 10 s, and a connection over which nothing comes back for 60 s is dropped (PostgreSQL:
// TCP keepalives and tcp_user_timeout, which let a slow query run on; MariaDB: each read and
// write). A connection string may set its own.
std::string postgresql_params(const std::string& params) {
  return with_defaults(params, {{"connect_timeout", "10"},
                                {"keepalives", "1"},
                                {"keepalives_idle", "30"},
                                {"keepalives_interval", "10"},
                                {"keepalives_count", "3"},
                                {"tcp_user_timeout", "60000"}});
}
std::string mariadb_params(const std::string& params) {
  return with_defaults(
      params, {{"connect_timeout", "10"}, {"read_timeout", "60"}, {"write_timeout", "60"}});
}

// libpq reads the password from passfile= (or ~/.pgpass), never from the string; MariaDB's
// comes from option_file= (store/mariadb_options.h).
std::unique_ptr<soci::session> connect(const std::string& url) {
  if (starts_with(url, kPostgresqlPrefix))
    return std::make_unique<soci::session>(soci::postgresql,
                                           postgresql_params(url.substr(kPostgresqlPrefix.size())));
  if (starts_with(url, kMariadbPrefix)) {
    auto params = mariadb_connect_string(mariadb_params(url.substr(kMariadbPrefix.size())));
    if (!params) throw std::runtime_error(params.error());
    return std::make_unique<soci::session>(soci::mysql, params.value());
  }
  return std::make_unique<soci::session>(soci::sqlite3, url.substr(kSqlitePrefix.size()));
}

bool supported(const std::string& url) {
  return starts_with(url, kSqlitePrefix) || starts_with(url, kPostgresqlPrefix) ||
         starts_with(url, kMariadbPrefix);
}

}  // namespace

Result<std::unique_ptr<soci::session>> open_database(const std::string& url, bool must_exist) {
  using R = Result<std::unique_ptr<soci::session>>;
  if (!supported(url))
    return R::failure("portal database " + database_label(url) +
                      ": only sqlite3://, postgresql:// and mysql:// are supported by this build");
  auto path = sqlite_path(url);
  std::error_code unlookable;  // then opening it names the reason
  if (must_exist && !path.empty() && !std::filesystem::exists(path, unlookable) && !unlookable)
    return R::failure("portal database " + path +
                      " does not exist: create it with `portalsync db init --database " + url +
                      "`");
  try {
    auto session = connect(url);
    dialect_of(*session).configure(*session);
    return session;
  } catch (const std::exception& e) {
    return R::failure(database_failure_code(e), "portal database " + database_label(url) + ": " +
                                                    database_error(e) + database_failure_hint(e));
  }
}

std::string database_error(const std::exception& e) {
  std::string message = e.what();
  // libpq's reason follows SOCI's own sentence on the next lines.
  const std::string no_connection = "Cannot establish connection to the database.";
  if (message.rfind(no_connection, 0) == 0) {
    static const std::regex breaks("\\s*\n\\s*"), ends("^(; )+|(; )+$");
    message = std::regex_replace(message.substr(no_connection.size()), breaks, "; ");
    message = std::regex_replace(message, ends, "");
    return "cannot connect: " + (message.empty() ? std::string("no reason given") : message);
  }
  if (auto values = message.find("\" with :"); values != std::string::npos)
    message.erase(values + 1);
  // libpq's "ERROR:  " and its context lines after the first are noise in one log line.
  if (auto error = message.find("ERROR:  "); error != std::string::npos)
    message.erase(0, error + 8);
  if (auto newline = message.find('\n'); newline != std::string::npos) message.erase(newline);
  if (message.rfind("sqlite3_", 0) == 0)  // "sqlite3_statement_backend::loadOne: ..."
    if (auto colon = message.find(": "); colon != std::string::npos) message.erase(0, colon + 2);
  return message;
}

long long column_int(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(r.get<double>(i));
    case soci::dt_string:
      return std::atoll(r.get<std::string>(i).c_str());
    default:
      return 0;
  }
}

std::string column_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "";
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return r.get<std::string>(i);
    case soci::dt_integer:
      return std::to_string(r.get<int>(i));
    case soci::dt_long_long:
      return std::to_string(r.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return std::to_string(r.get<unsigned long long>(i));
    case soci::dt_double:
      return std::to_string(r.get<double>(i));
    default:
      return "";
  }
}

}  // namespace ps
