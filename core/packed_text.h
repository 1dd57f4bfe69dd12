// N short strings in one allocation. A portal account has fifteen text columns: as std::string
// members they took 480 bytes plus a heap block for each value over 15 bytes (every timestamp,
// most e-mail addresses), which made the accounts the largest structure of a run. Packed, an
// account's text is one block of about 200 bytes behind an 8-byte pointer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace ps {

template <std::size_t N>
class PackedText {
 public:
  PackedText() = default;
  PackedText(const PackedText& o) { copy_from(o); }
  PackedText& operator=(const PackedText& o) {
    if (this != &o) copy_from(o);
    return *this;
  }
  PackedText(PackedText&&) noexcept = default;
  PackedText& operator=(PackedText&&) noexcept = default;

  std::string_view get(std::size_t i) const {
    if (!block_) return {};
    std::size_t begin = i == 0 ? 0 : end_of(i - 1);
    return {text() + begin, end_of(i) - begin};
  }

  // Replaces every value at once: one allocation (the store's row reader builds accounts so).
  void assign(const std::array<std::string_view, N>& values) {
    std::size_t total = 0;
    for (auto v : values) total += v.size();
    if (total == 0) {
      block_.reset();
      return;
    }
    auto block = std::make_unique_for_overwrite<char[]>(kHeader + total);
    std::uint32_t end = 0;
    for (std::size_t i = 0; i < N; ++i) {
      // An empty view may have a null data(): memcpy from null is undefined even for 0 bytes.
      if (!values[i].empty())
        std::memcpy(block.get() + kHeader + end, values[i].data(), values[i].size());
      end += static_cast<std::uint32_t>(values[i].size());
      std::memcpy(block.get() + i * sizeof end, &end, sizeof end);
    }
    block_ = std::move(block);
  }

  // Replaces one value (repacks the block; `value` may point into it).
  void set(std::size_t i, std::string_view value) {
    std::array<std::string_view, N> values;
    for (std::size_t k = 0; k < N; ++k) values[k] = k == i ? value : get(k);
    assign(values);
  }

 private:
  static constexpr std::size_t kHeader = N * sizeof(std::uint32_t);  // each value's end offset

  std::size_t end_of(std::size_t i) const {
    std::uint32_t end;
    std::memcpy(&end, block_.get() + i * sizeof end, sizeof end);
    return end;
  }
  const char* text() const { return block_.get() + kHeader; }
  std::size_t block_size() const { return block_ ? kHeader + end_of(N - 1) : 0; }
  void copy_from(const PackedText& o) {
    if (!o.block_) {
      block_.reset();
      return;
    }
    auto block = std::make_unique_for_overwrite<char[]>(o.block_size());
    std::memcpy(block.get(), o.block_.get(), o.block_size());
    block_ = std::move(block);
  }

  std::unique_ptr<char[]> block_;  // null while every value is empty
};

}  // namespace ps
