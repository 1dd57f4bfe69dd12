// The sample portal's randomness: one seeded engine, so a seed always gives the same portal (with
// the same standard library).
#pragma once

#include <random>
#include <vector>

namespace ps::sample {

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}

  // 0 .. n-1.
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(engine_); }
  // lo .. hi, both included.
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine_); }
  bool chance(int percent) { return below(100) < percent; }

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }

  // An item chosen in proportion to its `weight` member.
  template <class T>
  const T& weighted(const std::vector<T>& items) {
    int total = 0;
    for (const auto& item : items) total += item.weight;
    int n = below(total);
    for (const auto& item : items)
      if ((n -= item.weight) < 0) return item;
    return items.back();
  }

 private:
  std::mt19937 engine_;
};

}  // namespace ps::sample
