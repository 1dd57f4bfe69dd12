// Values written into a statement as SQL lists, for IN (...) conditions whose length varies with
// a run (bound parameters would need a statement per length). Integers are printed; text is a
// standard SQL literal, which every backend reads as such: MariaDB sessions run with
// NO_BACKSLASH_ESCAPES (store/dialect_mariadb.cc), so a backslash in a portal row is a character.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/model.h"

namespace ps {

// A statement's IN list holds at most this many values, so no statement grows without bound.
inline constexpr std::size_t kInListSize = 500;

// The values as SQL lists of at most `size` each ("1, 2, 3").
template <class Values, class Format>
std::vector<std::string> in_lists(const Values& values, Format format,
                                  std::size_t size = kInListSize) {
  std::vector<std::string> out;
  std::size_t in_list = 0;
  for (const auto& v : values) {
    if (in_list == 0) out.emplace_back();
    out.back() += (in_list ? ", " : "") + format(v);
    in_list = (in_list + 1) % size;
  }
  return out;
}

inline std::string sql_integer(RowId id) { return std::to_string(id); }

// A string literal: quotes doubled.
inline std::string sql_text(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace ps
