#include "store/database.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <regex>

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

// libpq reads the password from passfile= (or ~/.pgpass), never from the string; MariaDB's
// comes from option_file= (store/mariadb_options.h).
std::unique_ptr<soci::session> connect(const std::string& url) {
  if (starts_with(url, kPostgresqlPrefix))
    return std::make_unique<soci::session>(soci::postgresql, url.substr(kPostgresqlPrefix.size()));
  if (starts_with(url, kMariadbPrefix)) {
    auto params = mariadb_connect_string(url.substr(kMariadbPrefix.size()));
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
  if (must_exist && !path.empty() && !std::filesystem::exists(path))
    return R::failure("portal database " + path +
                      " does not exist: create it with `portalsync db init --database " + url +
                      "`");
  try {
    auto session = connect(url);
    dialect_of(*session).configure(*session);
    return session;
  } catch (const std::exception& e) {
    return R::failure("portal database " + database_label(url) + ": " + database_error(e));
  }
}

std::string database_error(const std::exception& e) {
  std::string message = e.what();
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
