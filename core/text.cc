#include "core/text.h"

#include <cstdint>

namespace ps {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Rejects overlong forms, surrogates and code points above U+10FFFF (RFC 3629).
std::size_t utf8_char_length(std::string_view s, std::size_t i) {
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  auto c = static_cast<std::uint8_t>(s[i]);
  std::size_t extra = c < 0x80           ? 0
                      : (c >> 5) == 0x6  ? 1
                      : (c >> 4) == 0xE  ? 2
                      : (c >> 3) == 0x1E ? 3
                                         : 4;
  if (extra == 4 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return 0;
  std::uint32_t cp = extra == 0 ? c : c & (0x3Fu >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto cc = static_cast<std::uint8_t>(s[i + k]);
    if ((cc >> 6) != 0x2) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0, n = 0; i < s.size(); i += n)
    if ((n = utf8_char_length(s, i)) == 0) return false;
  return true;
}

namespace {

// The wide ranges of Unicode's East Asian Width property (W and F) that hold letters people write:
// Hangul Jamo, CJK punctuation to Yi, Hangul syllables, compatibility ideographs, vertical and
// fullwidth forms, and the supplementary ideographic planes.
bool is_wide(std::uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<std::uint8_t>(s[i]);
    std::size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (i + extra >= s.size()) extra = 0;
    std::uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (std::size_t k = 1; k <= extra; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    width += is_wide(cp) ? 2 : 1;
    i += extra + 1;
  }
  return width;
}

std::string with_invalid_utf8_replaced(std::string_view s, std::string_view replacement) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto n = utf8_char_length(s, i);
    out += n == 0 ? replacement : s.substr(i, n);
    i += n == 0 ? 1 : n;
  }
  return out;
}

void append_hex_byte(std::string& out, unsigned char byte) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0xF];
}

std::string hex_encode(std::string_view bytes) {
  std::string out;
  out.reserve(2 * bytes.size());
  for (char c : bytes) append_hex_byte(out, static_cast<unsigned char>(c));
  return out;
}

std::string mask_national_id(std::string_view id) {
  std::string out(id.substr(0, 5));
  if (id.size() > 5) out.append(id.size() - 5, '*');
  return out;
}

}  // namespace ps
