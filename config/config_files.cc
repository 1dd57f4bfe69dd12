#include "config/config_files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace ps {

namespace {

namespace fs = std::filesystem;

// A password file is one line; anything much larger is the wrong file.
constexpr std::size_t kMaxSecretBytes = 4096;

// SQLite names that are not files in a directory.
bool is_special_sqlite_name(const std::string& name) {
  return name.empty() || name == ":memory:" || name.starts_with("file:") || name.starts_with("'") ||
         name.starts_with("\"");
}

std::string resolve_sqlite_file(const std::string& config_path, const std::string& name) {
  return is_special_sqlite_name(name) ? name : resolve_path(config_path, name);
}

}  // namespace

std::string resolve_path(const std::string& config_path, const std::string& value) {
  if (value.empty() || fs::path(value).is_absolute()) return value;
  std::error_code ignored;  // no working directory: the path stays relative to the file's
  return (fs::absolute(config_path, ignored).parent_path() / value).lexically_normal().string();
}

std::string resolve_database(const std::string& config_path, const std::string& connection) {
  const std::string prefix = "sqlite3://";
  if (!connection.starts_with(prefix)) return connection;
  const auto params = connection.substr(prefix.size());
  // "sqlite3://portal.db": the whole rest is the file name.
  if (params.find('=') == std::string::npos)
    return prefix + resolve_sqlite_file(config_path, params);
  // "sqlite3://db=portal.db timeout=5": rewrite only the db= (or dbname=) parameter.
  std::string out;
  std::size_t start = 0;
  while (start <= params.size()) {
    auto end = params.find(' ', start);
    if (end == std::string::npos) end = params.size();
    auto token = params.substr(start, end - start);
    for (const std::string name : {"db=", "dbname="})
      if (token.starts_with(name))
        token = name + resolve_sqlite_file(config_path, token.substr(name.size()));
    out += (start == 0 ? "" : " ") + token;
    start = end + 1;
  }
  return prefix + out;
}

Status check_readable_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return Status::error("cannot read " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::error(path + " is not a regular file");
  std::ifstream in(path);
  if (!in) return Status::error("cannot read " + path + ": " + std::strerror(errno));
  return Status::ok();
}

Result<std::string> read_secret_file(const std::string& path) {
  using R = Result<std::string>;
  if (auto readable = check_readable_file(path); !readable) return R::failure(readable.message());
  std::ifstream in(path, std::ios::binary);
  std::string secret;
  secret.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return R::failure("cannot read " + path);
  if (secret.size() > kMaxSecretBytes)
    return R::failure(path + " is larger than " + std::to_string(kMaxSecretBytes) +
                      " bytes; it must hold only the password");
  // Editors and `echo` add a final newline; it is not part of the password.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return R::failure(path + " is empty");
  if (secret.find('\n') != std::string::npos)
    return R::failure(path + " holds more than one line; it must hold only the password");
  return secret;
}

bool readable_by_others(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

}  // namespace ps
