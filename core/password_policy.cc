#include "core/password_policy.h"

#include <algorithm>
#include <cstring>

#include "core/text.h"

namespace ps {

namespace {

// Rows of a US keyboard (the layout Taiwanese keyboards share), unshifted and shifted with letters
// lower-cased, plus the alphabet and the digits. A run is a stretch of one of these, read either
// way.
constexpr std::string_view kSequences[] = {
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "`1234567890-=",
    "~!@#$%^&*()_+",
    "qwertyuiop[]\\",
    "qwertyuiop{}|",
    "asdfghjkl;'",
    "asdfghjkl:\"",
    "zxcvbnm,./",
    "zxcvbnm<>?",
};

// Wipes a lower-cased copy of the password when the check is done with it.
struct WipedCopy {
  std::string text;
  ~WipedCopy() { explicit_bzero(text.data(), text.size()); }
};

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::size_t count_characters(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

int count_classes(std::string_view password) {
  bool upper = false, lower = false, digit = false, symbol = false;
  for (char ch : password) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      symbol = true;  // punctuation, space and every non-ASCII character
  }
  return upper + lower + digit + symbol;
}

// How far text[start..] follows `sequence` forwards (step 1) or backwards (step -1).
std::size_t run_along(std::string_view text, std::size_t start, std::string_view sequence,
                      int step) {
  auto at = sequence.find(text[start]);
  if (at == std::string_view::npos) return 0;
  std::size_t length = 1;
  auto pos = static_cast<long>(at);
  for (std::size_t i = start + 1; i < text.size(); ++i) {
    pos += step;
    if (pos < 0 || pos >= static_cast<long>(sequence.size()) || sequence[pos] != text[i]) break;
    ++length;
  }
  return length;
}

std::size_t longest_run(std::string_view lower) {
  std::size_t longest = 0;
  for (std::size_t i = 0; i < lower.size(); ++i)
    for (auto sequence : kSequences)
      longest =
          std::max({longest, run_along(lower, i, sequence, 1), run_along(lower, i, sequence, -1)});
  return longest;
}

std::string encoding_problem(std::string_view password) {
  if (!is_valid_utf8(password)) return "is not valid UTF-8";
  if (std::any_of(password.begin(), password.end(),
                  [](char c) { return is_control(static_cast<unsigned char>(c)); }))
    return "contains a control character (a tab, an escape or the like)";
  return "";
}

}  // namespace

std::string_view to_string(PasswordRule rule) {
  switch (rule) {
    case PasswordRule::encoding:
      return "encoding";
    case PasswordRule::min_length:
      return "min_length";
    case PasswordRule::min_classes:
      return "min_classes";
    case PasswordRule::forbid_username:
      return "forbid_username";
    case PasswordRule::max_run:
      return "max_run";
    case PasswordRule::common_list:
      return "common_list";
  }
  return "unknown";
}

std::vector<PasswordFailure> check_password(const PasswordPolicy& policy, std::string_view password,
                                            std::string_view username) {
  std::vector<PasswordFailure> failures;
  auto fail = [&](PasswordRule rule, const std::string& message) {
    failures.push_back({rule, std::string(to_string(rule)) + ": " + message});
  };
  if (auto problem = encoding_problem(password); !problem.empty()) {
    fail(PasswordRule::encoding, problem);
    return failures;
  }
  const auto min_length = static_cast<std::size_t>(std::max(policy.min_length, 0));
  if (count_characters(password) < min_length)
    fail(PasswordRule::min_length, "shorter than " + std::to_string(min_length) + " characters");
  if (int classes = count_classes(password); classes < policy.min_classes)
    fail(PasswordRule::min_classes,
         "uses " + std::to_string(classes) +
             " of the 4 character classes (upper case, lower case, digits, symbols); at least " +
             std::to_string(policy.min_classes) + " needed");
  WipedCopy lower{to_lower_ascii(password)};
  if (policy.forbid_username && username.size() >= 3 &&
      lower.text.find(to_lower_ascii(username)) != std::string::npos)
    fail(PasswordRule::forbid_username, "contains the username");
  if (policy.max_run > 0 && longest_run(lower.text) > static_cast<std::size_t>(policy.max_run))
    fail(PasswordRule::max_run, "contains a keyboard or alphabet run of more than " +
                                    std::to_string(policy.max_run) +
                                    " characters (like qwer, 1234, abcd or 4321)");
  if (policy.common.count(lower.text))
    fail(PasswordRule::common_list, "is on the list of common passwords");
  return failures;
}

}  // namespace ps
