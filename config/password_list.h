// The common-password list: where the shipped one is, and reading a list file into the set
// PasswordPolicy::common holds.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace ps {

inline constexpr const char* kCommonPasswordFile = "common-passwords.txt";

// Where the shipped list may be, in order: installed beside the running program
// (<prefix>/share/portalsync/, for <prefix>/bin/portalsync), then the source tree's data/ (a
// program run from its build directory).
std::vector<std::string> shipped_common_password_lists();

// One password per line, lower-cased (ASCII letters) so the check is case-insensitive. Blank
// lines and lines starting with # are skipped; surrounding spaces are not part of an entry.
Result<std::unordered_set<std::string>> read_common_passwords(const std::string& path);

}  // namespace ps
