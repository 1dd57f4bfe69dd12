// The word lists behind the sample portal: a Tainan-style city government (agencies and their
// sections, district offices, schools, villages) and the names, titles and reasons of its staff.
#pragma once

#include <string>
#include <vector>

namespace ps::sample {

struct Agency {
  std::string name;
  std::vector<std::string> sections;  // level-3 units, most characteristic first
};

// Bureaus and offices of the city government, in the order the sample creates them.
const std::vector<Agency>& agencies();
// The 37 districts ("東區"); each gets a district office (區公所).
const std::vector<std::string>& districts();
// Sections of every district office (民政課, ...).
const std::vector<std::string>& district_sections();
// Real-sounding school and village name stems, then characters to combine when they run out.
const std::vector<std::string>& school_places();
const std::vector<std::string>& place_characters();

struct Syllable {
  std::string zh;
  std::string latin;  // romanisation as on Taiwanese passports, for usernames
  int weight = 1;     // relative frequency
};

// The most common surnames in Taiwan with their relative frequency.
const std::vector<Syllable>& surnames();
// Characters of two-character given names, by gender.
const std::vector<Syllable>& female_name_characters();
const std::vector<Syllable>& male_name_characters();

struct Title {
  std::string name;
  int weight = 1;  // relative frequency
};

// Job titles by kind of workplace.
const std::vector<Title>& city_titles();      // bureaus and their sections
const std::vector<Title>& district_titles();  // district offices
const std::vector<Title>& village_titles();
const std::vector<Title>& school_titles();

// Why an account was disabled.
const std::vector<std::string>& disabled_reasons();

}  // namespace ps::sample
