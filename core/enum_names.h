// One string mapping per enum: a table of {value, name} pairs, read both ways, so an enum's
// names are written once (to_string and parse_* of the same enum cannot disagree).
#pragma once

#include <iterator>
#include <optional>
#include <string_view>

namespace ps {

// The name of `value` in `names` (the first entry's name for a value the table lacks).
template <class Table, class E>
std::string_view name_in(const Table& names, E value) {
  for (const auto& [known, name] : names)
    if (known == value) return name;
  return std::begin(names)->second;
}

// The value named `name` in `names`, or nothing.
template <class E, class Table>
std::optional<E> value_in(const Table& names, std::string_view name) {
  for (const auto& [value, known] : names)
    if (known == name) return value;
  return std::nullopt;
}

}  // namespace ps
