// Small text helpers shared by every layer: ASCII case folding, hex digits and UTF-8 validation.
#pragma once

#include <string>
#include <string_view>

namespace ps {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower_ascii(std::string_view s);
// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);
// The length of the valid UTF-8 character starting at s[i], or 0 when none starts there.
std::size_t utf8_char_length(std::string_view s, std::size_t i);
// `s` with each byte that is not part of a valid UTF-8 character replaced by `replacement`.
std::string with_invalid_utf8_replaced(std::string_view s, std::string_view replacement);
// The value of a hexadecimal digit (either case), or -1.
int hex_digit_value(char c);
// Appends the two lower-case hex digits of `byte`.
void append_hex_byte(std::string& out, unsigned char byte);
// `bytes` as lower-case hex, two digits a byte.
std::string hex_encode(std::string_view bytes);
// Characters (code points) in valid UTF-8: every byte that does not continue a sequence.
std::size_t utf8_length(std::string_view s);
// Columns the text takes in a spreadsheet or a terminal: East Asian wide and fullwidth characters
// (Chinese, Japanese, Korean, fullwidth forms) count 2, others 1. Invalid bytes count 1 each.
std::size_t display_width(std::string_view s);
// Masks a national ID for display: the first 5 characters stay, the rest become '*'
// ("L224012345" -> "L2240*****").
std::string mask_national_id(std::string_view id);

}  // namespace ps
