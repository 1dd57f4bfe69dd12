#include "tests/support/ldif.h"

#include <stdexcept>

#include "core/text.h"

namespace ps::testing {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_safe_ldif_value(std::string_view value) {
  if (value.empty()) return true;
  char first = value.front();
  if (first == ' ' || first == ':' || first == '<' || value.back() == ' ') return false;
  for (unsigned char c : value)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

// Joins continuation lines (a line starting with one space continues the previous one).
std::vector<std::string> unfold_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == ' ' && !lines.empty() && !lines.back().empty())
      lines.back().append(line.substr(1));
    else
      lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

// "type: value", "type:: base64" -> {lower-case type, raw value}
std::pair<std::string, std::string> parse_attribute_line(const std::string& line) {
  auto colon = line.find(':');
  if (colon == std::string::npos) throw std::runtime_error("LDIF line without ':': " + line);
  std::string type = to_lower_ascii(line.substr(0, colon));
  std::size_t at = colon + 1;
  bool base64 = at < line.size() && line[at] == ':';
  if (base64) ++at;
  if (at < line.size() && line[at] == '<')
    throw std::runtime_error("LDIF URL values are not supported: " + line);
  while (at < line.size() && line[at] == ' ') ++at;
  std::string_view value = std::string_view(line).substr(at);
  return {type, base64 ? base64_decode(value) : std::string(value)};
}

}  // namespace

const std::vector<std::string>* LdifEntry::find(std::string_view type) const {
  auto it = attrs.find(to_lower_ascii(type));
  return it == attrs.end() ? nullptr : &it->second;
}

std::string LdifEntry::first(std::string_view type) const {
  const auto* values = find(type);
  return values && !values->empty() ? values->front() : std::string();
}

std::vector<LdifEntry> parse_ldif(std::string_view text) {
  std::vector<LdifEntry> entries;
  bool in_entry = false;
  for (const auto& line : unfold_lines(text)) {
    if (line.empty()) {
      in_entry = false;
      continue;
    }
    if (line.front() == '#') continue;
    auto [type, value] = parse_attribute_line(line);
    if (in_entry) {
      entries.back().attrs[type].push_back(std::move(value));
    } else if (type == "dn") {
      entries.push_back({std::move(value), {}});
      in_entry = true;
    } else if (type != "version") {
      throw std::runtime_error("LDIF record does not start with dn: " + line);
    }
  }
  return entries;
}

std::string ldif_line(std::string_view type, std::string_view value) {
  std::string line(type);
  line += is_safe_ldif_value(value) ? ": " + std::string(value) : ":: " + base64_encode(value);
  line += '\n';
  return line;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int bit_count = 0;
  for (char c : text) {
    if (c == '=' || c == ' ' || c == '\n') continue;
    auto digit = kAlphabet.find(c);
    if (digit == std::string_view::npos)
      throw std::runtime_error("invalid base64 character in \"" + std::string(text) + "\"");
    bits = (bits << 6) | static_cast<unsigned>(digit);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  return out;
}

}  // namespace ps::testing
