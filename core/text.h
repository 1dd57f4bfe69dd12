// Small text helpers shared by the core: ASCII case folding and UTF-8 validation.
#pragma once

#include <string>
#include <string_view>

namespace ps {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower_ascii(std::string_view s);
bool is_valid_utf8(std::string_view s);
// The value of a hexadecimal digit (either case), or -1.
int hex_digit_value(char c);
// Characters (code points) in valid UTF-8: every byte that does not continue a sequence.
std::size_t utf8_length(std::string_view s);
// Columns the text takes in a spreadsheet or a terminal: East Asian wide and fullwidth characters
// (Chinese, Japanese, Korean, fullwidth forms) count 2, others 1. Invalid bytes count 1 each.
std::size_t display_width(std::string_view s);
// Masks a national ID for display: the first 5 characters stay, the rest become '*'
// ("L224012345" -> "L2240*****").
std::string mask_national_id(std::string_view id);

}  // namespace ps
