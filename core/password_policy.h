// The password rules portalsync checks before it sends a password to the directory (config
// `passwords:`, docs/operations.md "Passwords"). The defaults are what the portals require. The
// directory may have rules of its own on top (AD's complexity policy, ppolicy's pwdMinLength).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace ps {

struct PasswordPolicy {
  int min_length = 12;          // in Unicode characters, not bytes
  int min_classes = 3;          // of upper, lower, digit, symbol (non-ASCII counts as symbol)
  bool forbid_username = true;  // compared case-insensitively; usernames of 3+ characters
  int max_run = 3;  // longest keyboard or alphabet run allowed ("qwe", "123"); 0: not checked
  std::unordered_set<std::string> common;  // refused passwords, ASCII letters lower-cased
};

// The rule names are the config keys, so a refusal points at the setting behind it.
enum class PasswordRule {
  encoding,
  min_length,
  min_classes,
  forbid_username,
  max_run,
  common_list
};
std::string_view to_string(PasswordRule rule);

struct PasswordFailure {
  PasswordRule rule;
  std::string message;  // "min_length: shorter than 12 characters"; never holds the password
};

// Every rule the password breaks, in the order above; empty when it is acceptable. Invalid UTF-8
// or a control character is an encoding failure, and the other rules are then not judged.
std::vector<PasswordFailure> check_password(const PasswordPolicy& policy, std::string_view password,
                                            std::string_view username);

}  // namespace ps
