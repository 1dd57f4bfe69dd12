// The sample portal's unit tree, three levels deep: 臺南市政府 (A00), its bureaus (A01, ...) and
// district offices (D01, ...), and below them sections, schools (under 教育局) and village offices
// (under the district offices), coded "A01-003". Determined by the requested size alone.
#pragma once

#include <string>
#include <vector>

namespace ps::sample {

enum class Workplace { city, district, village, school };

struct Unit {
  long long id = 0;      // 1, 2, ... in creation order
  long long parent = 0;  // 0 for the root
  std::string code;
  std::string name;      // unique among its siblings
  int level = 1;         // 1 root, 2 bureau or district office, 3 below
  long long agency = 0;  // the level-2 ancestor (itself at level 2; 0 for the root)
  Workplace workplace = Workplace::city;
};

// About `wanted` units (exactly, from 3 on): the root, bureaus and district offices, then
// sections, then schools and village offices until there are enough.
std::vector<Unit> build_tree(int wanted);

}  // namespace ps::sample
