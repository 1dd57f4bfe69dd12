// The password rules one by one, each at its boundary, and what a refusal says.
#include <catch2/catch.hpp>

#include "core/password_policy.h"

using namespace ps;

namespace {

// Breaks no default rule: 12 characters, 4 classes, no run longer than 2, not common.
const std::string kGood = "Tn7#vKq2!mRw";

std::vector<PasswordRule> rules_broken(const PasswordPolicy& policy, std::string_view password,
                                       std::string_view username = "chen.yating") {
  std::vector<PasswordRule> rules;
  for (const auto& f : check_password(policy, password, username)) rules.push_back(f.rule);
  return rules;
}

using Rules = std::vector<PasswordRule>;

}  // namespace

TEST_CASE("a password that breaks no rule passes", "[password]") {
  PasswordPolicy policy;
  CHECK(check_password(policy, kGood, "chen.yating").empty());
  CHECK(check_password(policy, "臺南市政府Tainan#2024x", "chen.yating").empty());
}

TEST_CASE("the defaults are the portals' rules", "[password]") {
  PasswordPolicy policy;
  CHECK(policy.min_length == 12);
  CHECK(policy.min_classes == 3);
  CHECK(policy.forbid_username);
  CHECK(policy.max_run == 3);
}

TEST_CASE("min_length counts Unicode characters, not bytes", "[password]") {
  PasswordPolicy policy;
  CHECK(rules_broken(policy, "Tn7#vKq2!mR") == Rules{PasswordRule::min_length});  // 11
  CHECK(rules_broken(policy, "Tn7#vKq2!mRw").empty());                            // 12
  // 11 characters in 23 bytes: still too short.
  CHECK(rules_broken(policy, "臺南市政府Ab7#xZ") == Rules{PasswordRule::min_length});
  CHECK(rules_broken(policy, "臺南市政府Ab7#xZq").empty());  // 12 characters
  policy.min_length = 8;
  CHECK(rules_broken(policy, "Tn7#vKq2").empty());
}

TEST_CASE("min_classes counts upper, lower, digits and symbols", "[password]") {
  PasswordPolicy policy;
  CHECK(rules_broken(policy, "tnvkqmrwxzhj") == Rules{PasswordRule::min_classes});  // 1 class
  CHECK(rules_broken(policy, "tnvkqmrwXZHJ") == Rules{PasswordRule::min_classes});  // 2
  CHECK(rules_broken(policy, "tnvkqmrwXZH7").empty());                              // 3
  CHECK(rules_broken(policy, "tnvkqmrw XZH").empty());   // a space is a symbol
  CHECK(rules_broken(policy, "tnvkqmrw南XZH").empty());  // so is a non-ASCII character
  policy.min_classes = 4;
  CHECK(rules_broken(policy, "tnvkqmrwXZH7") == Rules{PasswordRule::min_classes});
  CHECK(rules_broken(policy, "tnvkq#rwXZH7").empty());
}

TEST_CASE("forbid_username refuses the username in any case", "[password]") {
  PasswordPolicy policy;
  CHECK(rules_broken(policy, "Xchen.yating7#", "chen.yating") ==
        Rules{PasswordRule::forbid_username});
  CHECK(rules_broken(policy, "X#CHEN.YATING7", "chen.yating") ==
        Rules{PasswordRule::forbid_username});
  CHECK(rules_broken(policy, "Xchen.yatin7#Q", "chen.yating").empty());  // one letter short
  // Usernames under 3 characters would refuse half the alphabet.
  CHECK(rules_broken(policy, "Tn7#vKq2!mRw", "mr").empty());
  policy.forbid_username = false;
  CHECK(rules_broken(policy, "Xchen.yating7#", "chen.yating").empty());
}

TEST_CASE("max_run refuses keyboard and alphabet runs of 4, either way", "[password]") {
  PasswordPolicy policy;
  const Rules run{PasswordRule::max_run};
  CHECK(rules_broken(policy, "Zp9!qwerTmvk") == run);  // keyboard row
  CHECK(rules_broken(policy, "Zp9!QWERtmvk") == run);  // in upper case too
  CHECK(rules_broken(policy, "Zp!x1234Tmvk") == run);  // digits
  CHECK(rules_broken(policy, "Zp!x4321Tmvk") == run);  // descending
  CHECK(rules_broken(policy, "Zp9!abcdTmvk") == run);  // alphabet
  CHECK(rules_broken(policy, "Zp9!zyxwTmvk") == run);
  CHECK(rules_broken(policy, "Zp9Tmvk!@#$x") == run);  // shifted digit row
  CHECK(rules_broken(policy, "Zp9!asdfTmvk") == run);
  CHECK(rules_broken(policy, "Zp9!7890Tmvk") == run);  // 7890 on the keyboard
  CHECK(rules_broken(policy, "Zp9!0123Tmvk") == run);  // 0123 in the digits
  // Runs of 3 are allowed, even back to back.
  CHECK(rules_broken(policy, "Zp9!qweTabcM").empty());
  CHECK(rules_broken(policy, "Zp!x123x321M").empty());
  policy.max_run = 4;
  CHECK(rules_broken(policy, "Zp9!qwerZmvk").empty());
  CHECK(rules_broken(policy, "Zp9!qwertmvK") == run);
  policy.max_run = 0;
  CHECK(rules_broken(policy, "Zp9!qwertyuiop").empty());
}

TEST_CASE("common_list refuses listed passwords in any case", "[password]") {
  PasswordPolicy policy;
  policy.common = {"p@ssw0rd2024!", "taipei@12345"};
  const Rules common{PasswordRule::common_list};
  CHECK(rules_broken(policy, "P@ssw0rd2024!") == common);
  CHECK(rules_broken(policy, "p@SSW0RD2024!") == common);
  CHECK(rules_broken(policy, "P@ssw0rd2024!x").empty());  // only the whole password
}

TEST_CASE("every broken rule is reported, each message naming its rule", "[password]") {
  PasswordPolicy policy;
  policy.common = {"qwerty"};
  auto failures = check_password(policy, "qwerty", "qwe");
  REQUIRE(failures.size() == 5);
  CHECK(failures[0].message == "min_length: shorter than 12 characters");
  CHECK(failures[1].message ==
        "min_classes: uses 1 of the 4 character classes (upper case, lower case, digits, "
        "symbols); at least 3 needed");
  CHECK(failures[2].message == "forbid_username: contains the username");
  CHECK(failures[3].message ==
        "max_run: contains a keyboard or alphabet run of more than 3 characters (like qwer, 1234, "
        "abcd or 4321)");
  CHECK(failures[4].message == "common_list: is on the list of common passwords");
}

TEST_CASE("no message repeats the password or a part of it", "[password]") {
  PasswordPolicy policy;
  policy.common = {"zqxwvkabcdm"};
  for (const auto& f : check_password(policy, "ZQXWVKabcdm", "zqxwv"))
    CHECK(f.message.find("zqxwv") == std::string::npos);
}

TEST_CASE("invalid UTF-8 and control characters are refused before the other rules", "[password]") {
  PasswordPolicy policy;
  auto bad = check_password(policy, "Tn7#vKq2!mRw\xff", "x");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].message == "encoding: is not valid UTF-8");
  auto tab = check_password(policy, "Tn7#vKq2\tmRw", "x");
  REQUIRE(tab.size() == 1);
  CHECK(tab[0].rule == PasswordRule::encoding);
  CHECK(rules_broken(policy, std::string("Tn7#vKq2") + '\0' + "mRw") ==
        Rules{PasswordRule::encoding});
}
