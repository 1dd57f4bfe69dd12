#include "store/database.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>

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

Result<std::unique_ptr<soci::session>> open_database(const std::string& url, bool must_exist) {
  using R = Result<std::unique_ptr<soci::session>>;
  const std::string prefix = "sqlite3://";
  if (url.rfind(prefix, 0) != 0)
    return R::failure("portal database " + url + ": only sqlite3:// is supported by this build");
  auto path = sqlite_path(url);
  if (must_exist && !std::filesystem::exists(path))
    return R::failure("portal database " + path +
                      " does not exist: create it with `portalsync db init --database " + url +
                      "`");
  try {
    auto session = std::make_unique<soci::session>(soci::sqlite3, url.substr(prefix.size()));
    std::string mode;
    *session << "PRAGMA busy_timeout=5000", soci::into(mode);
    *session << "PRAGMA journal_mode=WAL", soci::into(mode);
    // Intents must be on disk before the directory operation they announce is sent.
    *session << "PRAGMA synchronous=FULL";
    // Off, also where SQLite was built to default it on: the engine reports a dangling reference
    // as a rejected row; enforcing it would make the portal's write fail instead.
    *session << "PRAGMA foreign_keys=OFF";
    return session;
  } catch (const std::exception& e) {
    return R::failure("portal database " + path + ": " + database_error(e));
  }
}

std::string database_error(const std::exception& e) {
  std::string message = e.what();
  if (auto values = message.find("\" with :"); values != std::string::npos)
    message.erase(values + 1);
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
    case soci::dt_double:
      return std::to_string(r.get<double>(i));
    default:
      return "";
  }
}

}  // namespace ps
