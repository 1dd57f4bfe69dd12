#include "core/entry_attributes.h"

#include <cstring>
#include <utility>

#include "core/text.h"

namespace ps {

namespace {

constexpr std::size_t kSlotSize = 8;  // name id, first value
constexpr std::size_t kEndSize = 4;

std::uint32_t load_u32(const char* at) {
  std::uint32_t v;
  std::memcpy(&v, at, sizeof v);
  return v;
}

void store_u32(char* at, std::uint32_t v) { std::memcpy(at, &v, sizeof v); }

}  // namespace

std::string_view AttributeValues::value_at(const char* bytes, const char* ends, std::size_t value) {
  std::uint32_t start = value == 0 ? 0 : load_u32(ends + (value - 1) * kEndSize);
  return {bytes + start, load_u32(ends + value * kEndSize) - start};
}

std::vector<std::string> AttributeValues::strings() const {
  std::vector<std::string> out;
  out.reserve(count_);
  for (auto v : *this) out.emplace_back(v);
  return out;
}

bool AttributeValues::operator==(const std::vector<std::string>& other) const {
  if (other.size() != count_) return false;
  for (std::size_t i = 0; i < count_; ++i)
    if ((*this)[i] != other[i]) return false;
  return true;
}

AttributeNameId EntryAttributes::Builder::id_of(std::string_view name) {
  for (const auto& [known, id] : recent_)
    if (known == name) return id;
  auto id = intern_attribute_name(name);
  if (recent_.size() < 64) recent_.emplace_back(std::string(name), id);
  return id;
}

void EntryAttributes::Builder::begin_attribute(std::string_view name) {
  names_.push_back(id_of(name));
  firsts_.push_back(static_cast<std::uint32_t>(ends_.size()));
}

void EntryAttributes::Builder::add_value(std::string_view value) {
  bytes_.append(value);
  ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
}

EntryAttributes EntryAttributes::Builder::build(std::initializer_list<std::string_view> prefix) {
  EntryAttributes out;
  std::size_t prefix_size = 0;
  for (auto piece : prefix) prefix_size += piece.size();
  out.prefix_size_ = static_cast<std::uint32_t>(prefix_size);
  out.attribute_count_ = static_cast<std::uint32_t>(names_.size());
  out.value_count_ = static_cast<std::uint32_t>(ends_.size());
  std::size_t size =
      prefix_size + names_.size() * kSlotSize + ends_.size() * kEndSize + bytes_.size();
  if (size > 0) out.packed_ = std::make_unique_for_overwrite<char[]>(size);
  char* at = out.packed_.get();
  for (auto piece : prefix) {
    if (!piece.empty()) std::memcpy(at, piece.data(), piece.size());
    at += piece.size();
  }
  for (std::size_t i = 0; i < names_.size(); ++i, at += kSlotSize) {
    store_u32(at, names_[i]);
    store_u32(at + 4, firsts_[i]);
  }
  for (auto end : ends_) {
    store_u32(at, end);
    at += kEndSize;
  }
  if (!bytes_.empty()) std::memcpy(at, bytes_.data(), bytes_.size());
  names_.clear();
  firsts_.clear();
  ends_.clear();
  bytes_.clear();
  return out;
}

EntryAttributes::EntryAttributes(const EntryAttributes& other)
    : prefix_size_(other.prefix_size_),
      attribute_count_(other.attribute_count_),
      value_count_(other.value_count_) {
  if (std::size_t size = other.packed_size()) {
    packed_ = std::make_unique_for_overwrite<char[]>(size);
    std::memcpy(packed_.get(), other.packed_.get(), size);
  }
}

EntryAttributes& EntryAttributes::operator=(const EntryAttributes& other) {
  if (this != &other) *this = EntryAttributes(other);
  return *this;
}

EntryAttributes::EntryAttributes(EntryAttributes&& other) noexcept
    : packed_(std::move(other.packed_)),
      prefix_size_(std::exchange(other.prefix_size_, 0)),
      attribute_count_(std::exchange(other.attribute_count_, 0)),
      value_count_(std::exchange(other.value_count_, 0)) {}

EntryAttributes& EntryAttributes::operator=(EntryAttributes&& other) noexcept {
  packed_ = std::move(other.packed_);
  prefix_size_ = std::exchange(other.prefix_size_, 0);
  attribute_count_ = std::exchange(other.attribute_count_, 0);
  value_count_ = std::exchange(other.value_count_, 0);
  return *this;
}

// The last value's end is the size of the value bytes.
std::size_t EntryAttributes::packed_size() const {
  std::size_t table = attribute_count_ * kSlotSize + value_count_ * kEndSize;
  std::size_t bytes = value_count_ ? read_u32(table - kEndSize) : 0;
  return prefix_size_ + table + bytes;
}

std::uint32_t EntryAttributes::read_u32(std::size_t offset) const {
  return load_u32(table() + offset);
}

std::size_t EntryAttributes::first_value(std::size_t attribute) const {
  return attribute < attribute_count_ ? read_u32(attribute * kSlotSize + 4) : value_count_;
}

const std::string& EntryAttributes::name(std::size_t i) const {
  return attribute_name(read_u32(i * kSlotSize));
}

AttributeValues EntryAttributes::values(std::size_t i) const {
  const char* ends = table() + attribute_count_ * kSlotSize;
  const char* bytes = ends + value_count_ * kEndSize;
  std::size_t first = first_value(i);
  return {bytes, ends, first, first_value(i + 1) - first};
}

std::optional<AttributeValues> EntryAttributes::find(std::string_view name) const {
  for (std::size_t i = 0; i < attribute_count_; ++i)
    if (iequals(this->name(i), name)) return values(i);
  return std::nullopt;
}

void EntryAttributes::copy_to(Builder& b, std::string_view skip) const {
  for (std::size_t i = 0; i < attribute_count_; ++i) {
    if (!skip.empty() && iequals(name(i), skip)) continue;
    b.begin_attribute(name(i));
    for (auto v : values(i)) b.add_value(v);
  }
}

void EntryAttributes::add(std::string_view name, const std::vector<std::string>& values) {
  Builder b;
  copy_to(b, {});
  b.begin_attribute(name);
  for (const auto& v : values) b.add_value(v);
  *this = b.build({prefix()});
}

void EntryAttributes::set(std::string_view name, const std::vector<std::string>& values) {
  Builder b;
  bool replaced = false;
  for (std::size_t i = 0; i < attribute_count_; ++i) {
    bool target = !replaced && iequals(this->name(i), name);
    b.begin_attribute(this->name(i));
    if (target) {
      for (const auto& v : values) b.add_value(v);
      replaced = true;
    } else {
      for (auto v : this->values(i)) b.add_value(v);
    }
  }
  if (!replaced) {
    b.begin_attribute(name);
    for (const auto& v : values) b.add_value(v);
  }
  *this = b.build({prefix()});
}

void EntryAttributes::set_prefix(std::initializer_list<std::string_view> pieces) {
  Builder b;
  copy_to(b, {});
  *this = b.build(pieces);
}

void EntryAttributes::remove(std::string_view name) {
  Builder b;
  copy_to(b, name);
  *this = b.build({prefix()});
}

}  // namespace ps
