// People for the sample portal: Chinese names with their romanised usernames, titles that fit the
// workplace, contact details and national IDs. Usernames and national IDs are unique.
#pragma once

#include <string>
#include <unordered_set>

#include "store/sample/sample_random.h"
#include "store/sample/sample_tree.h"

namespace ps::sample {

struct Person {
  std::string surname;
  std::string given_name;
  std::string display_name;  // surname + given name, no space
  std::string username;      // "chen.yating", "chen.yating2" or "lin0123"
  std::string title;
  std::string email;         // <username>@tainan.gov.tw
  std::string office_phone;  // "06-2991111#1234" at city hall, "06-5xxxxxx" elsewhere
  std::string mobile;        // "09xxxxxxxx", or "" (not every employee gives one)
  std::string national_id;   // letter, 1 (male) or 2 (female), 7 digits, check digit
};

class PeopleMaker {
 public:
  explicit PeopleMaker(Random& random) : random_(random) {}

  Person make(Workplace workplace);

 private:
  std::string unique_username(const std::string& surname, const std::string& given);
  std::string unique_national_id(bool female);
  std::string office_phone(Workplace workplace);

  Random& random_;
  std::unordered_set<std::string> usernames_;
  std::unordered_set<std::string> national_ids_;
};

// A valid Taiwanese national ID from its letter and the 8 digits after it (check digit added).
std::string national_id_with_check(char letter, const std::string& eight_digits);

}  // namespace ps::sample
