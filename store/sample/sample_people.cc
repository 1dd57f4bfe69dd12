#include "store/sample/sample_people.h"

#include <cstdio>

#include "store/sample/sample_names.h"

namespace ps::sample {

namespace {

const std::vector<Title>& titles_at(Workplace workplace) {
  switch (workplace) {
    case Workplace::district:
      return district_titles();
    case Workplace::village:
      return village_titles();
    case Workplace::school:
      return school_titles();
    default:
      return city_titles();
  }
}

std::string digits(Random& random, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + random.below(10));
  return out;
}

}  // namespace

std::string national_id_with_check(char letter, const std::string& eight_digits) {
  // The letter's two-digit code (A = 10 ... in this order, which is not alphabetical at I, O, W-Z).
  static const int kLetterCode[] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                    22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
  int code = kLetterCode[letter - 'A'];
  int sum = code / 10 + (code % 10) * 9;
  for (int i = 0; i < 8; ++i) sum += (eight_digits[static_cast<std::size_t>(i)] - '0') * (8 - i);
  return letter + eight_digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

Person PeopleMaker::make(Workplace workplace) {
  Person p;
  bool female = random_.chance(50);
  const auto& characters = female ? female_name_characters() : male_name_characters();
  const auto& surname = random_.weighted(surnames());
  const auto& first = random_.pick(characters);
  const auto& second = random_.pick(characters);
  p.surname = surname.zh;
  p.given_name = first.zh + second.zh;
  p.display_name = p.surname + p.given_name;
  p.username = unique_username(surname.latin, first.latin + second.latin);
  p.title = random_.weighted(titles_at(workplace)).name;
  p.email = p.username + "@tainan.gov.tw";
  p.office_phone = office_phone(workplace);
  if (random_.chance(90)) p.mobile = "09" + digits(random_, 8);
  p.national_id = unique_national_id(female);
  return p;
}

// Mostly "chen.yating" (numbered from 2 when taken), sometimes the older "lin0123" style.
std::string PeopleMaker::unique_username(const std::string& surname, const std::string& given) {
  std::string name;
  if (random_.chance(80)) {
    name = surname + "." + given;
    for (int n = 2; usernames_.count(name); ++n) name = surname + "." + given + std::to_string(n);
  } else {
    do name = surname + digits(random_, 4);
    while (usernames_.count(name));
  }
  usernames_.insert(name);
  return name;
}

// Mostly born in Tainan (D: the city, R: the former county), the rest anywhere.
std::string PeopleMaker::unique_national_id(bool female) {
  static const std::string kElsewhere = "ABCEFGHIJKLMNOPQSTUVWXYZ";
  std::string id;
  do {
    char letter = random_.chance(60) ? 'D' : 'R';
    if (random_.chance(20)) letter = kElsewhere[static_cast<std::size_t>(random_.below(24))];
    std::string eight(1, female ? '2' : '1');
    eight += digits(random_, 7);
    id = national_id_with_check(letter, eight);
  } while (!national_ids_.insert(id).second);
  return id;
}

std::string PeopleMaker::office_phone(Workplace workplace) {
  if (workplace == Workplace::city)
    return "06-2991111#" + std::to_string(random_.between(1000, 8999));
  static const char kExchanges[] = "2567";
  std::string phone = "06-";
  phone += kExchanges[random_.below(4)];
  phone += digits(random_, 6);
  if (workplace == Workplace::school && random_.chance(30)) {
    phone += '#';
    phone += std::to_string(random_.between(100, 899));
  }
  return phone;
}

}  // namespace ps::sample
