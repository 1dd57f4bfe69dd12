#include "config/password_list.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/config_files.h"
#include "core/text.h"

namespace ps {

namespace {

namespace fs = std::filesystem;

std::string trimmed(const std::string& line) {
  const char* space = " \t\r";
  auto first = line.find_first_not_of(space);
  if (first == std::string::npos) return "";
  return line.substr(first, line.find_last_not_of(space) - first + 1);
}

}  // namespace

std::vector<std::string> shipped_common_password_lists() {
  std::vector<std::string> candidates;
  std::error_code ec;
  auto program = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    candidates.push_back(
        (program.parent_path().parent_path() / "share" / "portalsync" / kCommonPasswordFile)
            .lexically_normal()
            .string());
  candidates.push_back((fs::path(PS_SOURCE_DATA_DIR) / kCommonPasswordFile).string());
  return candidates;
}

Result<std::unordered_set<std::string>> read_common_passwords(const std::string& path) {
  using R = Result<std::unordered_set<std::string>>;
  if (auto readable = check_readable_file(path); !readable) return R::failure(readable.message());
  std::ifstream in(path);
  std::unordered_set<std::string> list;
  std::string line;
  while (std::getline(in, line)) {
    auto entry = trimmed(line);
    if (!entry.empty() && entry[0] != '#') list.insert(to_lower_ascii(entry));
  }
  if (in.bad()) return R::failure("cannot read " + path + ": " + std::strerror(errno));
  return list;
}

}  // namespace ps
