#include "store/sample/sample_tree.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "store/sample/sample_names.h"

namespace ps::sample {

namespace {

std::string numbered(const char* prefix, int n) {
  char code[16];
  std::snprintf(code, sizeof code, "%s%02d", prefix, n);
  return code;
}

int place_pairs() {
  auto count = static_cast<int>(place_characters().size());
  return count * count;
}

// Two place characters, the n-th of all pairs ("永安", "永新", ...) after `shift`; numbered once
// every pair is used.
std::string place_pair(int n, int shift) {
  const auto& chars = place_characters();
  auto count = static_cast<int>(chars.size());
  int k = (n + shift) % place_pairs();
  auto name =
      chars[static_cast<std::size_t>(k / count)] + chars[static_cast<std::size_t>(k % count)];
  return n < place_pairs() ? name : name + std::to_string(n / place_pairs() + 1);
}

// Real-sounding stems first (an elementary and a junior high school each), then place pairs.
std::string school_name(int n) {
  const auto& stems = school_places();
  auto stem_names = 2 * static_cast<int>(stems.size());
  auto place =
      n < stem_names ? stems[static_cast<std::size_t>(n / 2)] : place_pair((n - stem_names) / 2, 0);
  return "臺南市立" + place + (n % 2 ? "國民中學" : "國民小學");
}

class TreeBuilder {
 public:
  explicit TreeBuilder(int wanted) : wanted_(std::max(wanted, 3)) {}

  std::vector<Unit> build() {
    add(nullptr, "A00", "臺南市政府", Workplace::city);
    add_bureaus_and_districts();
    add_sections();
    add_schools_and_villages();
    return std::move(units_);
  }

 private:
  bool full() const { return static_cast<int>(units_.size()) >= wanted_; }

  // Adds a unit unless a sibling already has the name; returns whether it did.
  bool add(const Unit* parent, std::string code, std::string name, Workplace workplace) {
    Unit u;
    u.parent = parent ? parent->id : 0;
    if (!sibling_names_[u.parent].insert(name).second) return false;
    u.id = static_cast<long long>(units_.size()) + 1;
    u.code = std::move(code);
    u.name = std::move(name);
    u.level = parent ? parent->level + 1 : 1;
    if (u.level == 2) u.agency = u.id;
    if (u.level > 2) u.agency = parent->agency;
    u.workplace = workplace;
    units_.push_back(std::move(u));  // `parent` may dangle from here on
    return true;
  }

  bool add_child(long long parent_id, std::string name, Workplace workplace) {
    const Unit parent = units_[static_cast<std::size_t>(parent_id - 1)];
    char code[32];
    std::snprintf(code, sizeof code, "%s-%03d", parent.code.c_str(), children_[parent_id] + 1);
    if (!add(&parent, code, std::move(name), workplace)) return false;
    ++children_[parent_id];
    return true;
  }

  // A third of the requested units are bureaus, up to half with the district offices.
  void add_bureaus_and_districts() {
    int n = 0;
    for (const auto& agency : agencies()) {
      if (static_cast<int>(units_.size()) >= std::max(wanted_ / 3, 2)) break;
      add(&units_[0], numbered("A", ++n), agency.name, Workplace::city);
      level2_.push_back({units_.back().id, &agency.sections});
    }
    n = 0;
    for (const auto& district : districts()) {
      if (static_cast<int>(units_.size()) >= std::max(wanted_ / 2, 3)) break;
      add(&units_[0], numbered("D", ++n), district + "公所", Workplace::district);
      district_offices_.push_back(units_.back().id);
      level2_.push_back({units_.back().id, &district_sections()});
    }
  }

  // Round robin over the level-2 units, so that a small tree still has a section everywhere.
  void add_sections() {
    for (std::size_t i = 0; !full(); ++i) {
      bool any = false;
      for (const auto& [id, sections] : level2_) {
        if (full() || i >= sections->size()) continue;
        auto workplace = units_[static_cast<std::size_t>(id - 1)].workplace;
        add_child(id, (*sections)[i], workplace);
        any = true;
      }
      if (!any) return;
    }
  }

  // Then a school under 教育局 for every two village offices under the district offices.
  void add_schools_and_villages() {
    long long education = 0;
    for (const auto& u : units_)
      if (u.level == 2 && u.name == "教育局") education = u.id;
    for (int k = 0; !full(); ++k) {
      bool school = education && (k % 3 == 0 || district_offices_.empty());
      if (school)
        add_school(education);
      else if (!district_offices_.empty())
        add_village(district_offices_[static_cast<std::size_t>(k) % district_offices_.size()]);
      else
        add_child(level2_[static_cast<std::size_t>(k) % level2_.size()].first,
                  "第" + std::to_string(k + 1) + "工作小組", Workplace::city);
    }
  }

  // A name a sibling already has is skipped.
  void add_school(long long education) {
    while (!add_child(education, school_name(schools_++), Workplace::school)) {
    }
  }

  // Each district office starts elsewhere among the place pairs: neighbours differ.
  void add_village(long long office) {
    int shift = static_cast<int>(office) * 97;
    while (!add_child(office, place_pair(villages_[office]++, shift) + "里辦公處",
                      Workplace::village)) {
    }
  }

  int wanted_;
  std::vector<Unit> units_;
  std::vector<std::pair<long long, const std::vector<std::string>*>> level2_;  // and sections
  std::vector<long long> district_offices_;
  std::map<long long, std::set<std::string>> sibling_names_;
  std::map<long long, int> children_;
  std::map<long long, int> villages_;
  int schools_ = 0;
};

}  // namespace

std::vector<Unit> build_tree(int wanted) { return TreeBuilder(wanted).build(); }

}  // namespace ps::sample
