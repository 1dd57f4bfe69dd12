#include "daemon/admin/url.h"

#include "core/text.h"

namespace ps::admin {

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_digit_value(text[i + 1]), low = hex_digit_value(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> parse_query(std::string_view query) {
  std::map<std::string, std::string> result;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || name->empty()) {
      return Error{"query parameter \"" + std::string(pair.substr(0, eq)) +
                   "\" is not a valid name"};
    }
    if (!value) return Error{"query parameter \"" + *name + "\" has a malformed %-escape"};
    if (!result.emplace(*name, std::move(*value)).second) {
      return Error{"query parameter \"" + *name + "\" is given more than once"};
    }
  }
  return result;
}

}  // namespace ps::admin
