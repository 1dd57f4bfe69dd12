// The attributes of one directory entry in one allocation: a table of (name id, first value),
// the end offset of every value, then the value bytes. An account entry's attributes take about
// 300 bytes this way, where a vector of named string vectors took about 1.8 KB. The owner may keep
// a few bytes of its own at the front of the same allocation (a DirectoryEntry's DN and anchor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribute_names.h"

namespace ps {

// The values of one attribute: a view into its entry, valid while the entry is unchanged (so are
// its iterators, also when the view itself is a temporary).
class AttributeValues {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    iterator() = default;
    iterator(const char* bytes, const char* ends, std::size_t value)
        : bytes_(bytes), ends_(ends), value_(value) {}
    std::string_view operator*() const { return value_at(bytes_, ends_, value_); }
    iterator& operator++() {
      ++value_;
      return *this;
    }
    iterator operator++(int) {
      auto before = *this;
      ++value_;
      return before;
    }
    bool operator==(const iterator& o) const { return value_ == o.value_; }

   private:
    const char* bytes_ = nullptr;
    const char* ends_ = nullptr;
    std::size_t value_ = 0;  // index among the entry's values
  };

  AttributeValues(const char* bytes, const char* ends, std::size_t first, std::size_t count)
      : bytes_(bytes), ends_(ends), first_(first), count_(count) {}

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::string_view operator[](std::size_t i) const { return value_at(bytes_, ends_, first_ + i); }
  std::string_view front() const { return (*this)[0]; }
  iterator begin() const { return {bytes_, ends_, first_}; }
  iterator end() const { return {bytes_, ends_, first_ + count_}; }

  std::vector<std::string> strings() const;
  bool operator==(const std::vector<std::string>& other) const;

  // Value `value` (an index among all the entry's values) of an entry's packed buffer.
  static std::string_view value_at(const char* bytes, const char* ends, std::size_t value);

 private:
  const char* bytes_;  // the entry's value bytes
  const char* ends_;   // the entry's value end offsets (unaligned std::uint32_t)
  std::size_t first_;  // index of this attribute's first value among the entry's values
  std::size_t count_;
};

class EntryAttributes {
 public:
  // Collects attributes in reusable buffers, then packs them into one exact-size allocation.
  class Builder {
   public:
    void begin_attribute(std::string_view name);  // its values follow
    void add_value(std::string_view value);
    // And clears the builder for the next entry. The prefix pieces, concatenated, become prefix().
    EntryAttributes build(std::initializer_list<std::string_view> prefix = {});

   private:
    AttributeNameId id_of(std::string_view name);
    std::vector<std::uint32_t> names_, firsts_, ends_;
    std::string bytes_;
    std::vector<std::pair<std::string, AttributeNameId>> recent_;  // saves the interning lock
  };

  EntryAttributes() = default;
  EntryAttributes(const EntryAttributes& other);
  EntryAttributes& operator=(const EntryAttributes& other);
  EntryAttributes(EntryAttributes&& other) noexcept;  // leaves `other` empty
  EntryAttributes& operator=(EntryAttributes&& other) noexcept;

  std::size_t size() const { return attribute_count_; }
  bool empty() const { return attribute_count_ == 0; }
  const std::string& name(std::size_t i) const;
  AttributeValues values(std::size_t i) const;
  // The first attribute named `name` (compared case-insensitively).
  std::optional<AttributeValues> find(std::string_view name) const;

  // Changes repack the entry: for building test entries and trimming reads, not for hot paths.
  void add(std::string_view name, const std::vector<std::string>& values);
  // Replaces the values of the first attribute named `name` (case-insensitively), or adds it.
  void set(std::string_view name, const std::vector<std::string>& values);
  // Removes every attribute named `name` (case-insensitively).
  void remove(std::string_view name);

  // The owner's bytes ahead of the attributes; kept by the changes above.
  std::string_view prefix() const { return {packed_.get(), prefix_size_}; }
  void set_prefix(std::initializer_list<std::string_view> pieces);

 private:
  const char* table() const { return packed_.get() + prefix_size_; }
  std::size_t packed_size() const;
  std::uint32_t read_u32(std::size_t offset) const;  // offset from the table's start
  std::size_t first_value(std::size_t attribute) const;
  void copy_to(Builder& b, std::string_view skip) const;  // every attribute but those named skip

  // prefix, [name id, first value] per attribute, end per value, value bytes. A bare pointer, not
  // a std::string: 8 bytes in the entry instead of 32, and no zero-filling before the copy.
  std::unique_ptr<char[]> packed_;
  std::uint32_t prefix_size_ = 0;
  std::uint32_t attribute_count_ = 0;
  std::uint32_t value_count_ = 0;
};

}  // namespace ps
