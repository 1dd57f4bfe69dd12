#include "tests/support/ldif.h"

#include <sstream>

#include "core/text.h"

namespace ps::testing {

std::string LdifEntry::first(const std::string& attr) const {
  auto it = attrs.find(attr);
  return it == attrs.end() || it->second.empty() ? "" : it->second.front();
}

std::string base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    auto pos = chars.find(c);
    if (pos == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::vector<LdifEntry> parse_ldif(const std::string& text) {
  std::vector<LdifEntry> out;
  std::istringstream in(text);
  std::string line;
  LdifEntry current;
  auto flush = [&] {
    if (!current.dn.empty()) out.push_back(std::move(current));
    current = LdifEntry{};
  };
  while (std::getline(in, line)) {
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto name = to_lower_ascii(line.substr(0, colon));
    std::string value;
    if (colon + 1 < line.size() && line[colon + 1] == ':')
      value = base64_decode(line.substr(colon + 2));
    else
      value = line.size() > colon + 2 ? line.substr(colon + 2) : "";
    if (name == "dn")
      current.dn = value;
    else
      current.attrs[name].push_back(value);
  }
  flush();
  return out;
}

}  // namespace ps::testing
