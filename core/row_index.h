// Row id -> index (of a read entry or a tree node), for as many rows as the portal has accounts.
// An std::unordered_map spends a 32-byte heap block and a bucket on each of 100,000 entries (about
// 4.2 MB); this open-addressing table keeps ids and indexes in two arrays, at most 7/8 full
// (1.5 MB for 100,000).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/model.h"

namespace ps {

class RowIndex {
 public:
  // The index stored for `id`, or nullptr.
  const int* find(RowId id) const {
    if (values_.empty()) return nullptr;
    std::size_t i = slot_of(id);
    return values_[i] >= 0 ? &values_[i] : nullptr;
  }
  bool contains(RowId id) const { return find(id) != nullptr; }
  std::size_t size() const { return size_; }

  // Inserts or replaces; `value` must not be negative (indexes are not).
  void set(RowId id, int value) {
    if ((size_ + 1) * 8 > values_.size() * 7) grow();
    std::size_t i = slot_of(id);
    if (values_[i] < 0) ++size_;
    ids_[i] = id;
    values_[i] = value;
  }

 private:
  // The slot holding `id`, or the free one where it belongs (linear probing; never full).
  std::size_t slot_of(RowId id) const {
    std::size_t mask = values_.size() - 1;
    for (std::size_t i = mix(id) & mask;; i = (i + 1) & mask)
      if (values_[i] < 0 || ids_[i] == id) return i;
  }
  // Row ids are often consecutive: spread them over the table (the splitmix64 finalizer).
  static std::size_t mix(RowId id) {
    auto x = static_cast<std::uint64_t>(id);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(x ^ (x >> 31));
  }
  void grow() {
    auto ids = std::move(ids_);
    auto values = std::move(values_);
    std::size_t slots = values.empty() ? 16 : values.size() * 2;
    ids_.assign(slots, 0);
    values_.assign(slots, -1);
    size_ = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] >= 0) set(ids[i], values[i]);
  }

  std::vector<RowId> ids_;
  std::vector<int> values_;  // -1: a free slot; the size is a power of two
  std::size_t size_ = 0;
};

}  // namespace ps
