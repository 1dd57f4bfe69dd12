#include "connectors/ldap/ldap_anchor.h"

#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

// Byte order of the text form: Data1 (4 bytes LE), Data2 and Data3 (2 bytes LE), then 8 bytes.
constexpr int kGuidTextOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

std::string format_guid(std::string_view bytes) {
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    append_hex_byte(text, static_cast<unsigned char>(bytes[kGuidTextOrder[i]]));
  }
  return text;
}

}  // namespace

std::string format_anchor(std::string_view attribute, std::string_view raw_value) {
  if (iequals(attribute, "objectGUID") && raw_value.size() == 16) return format_guid(raw_value);
  return std::string(raw_value);
}

// The inverse of format_guid: text digit pairs in kGuidTextOrder give the raw bytes back.
std::string anchor_filter_value(std::string_view attribute, std::string_view anchor) {
  if (!iequals(attribute, "objectGUID")) return escape_filter_value(anchor);
  std::string digits;
  for (char c : anchor)
    if (c != '-') digits += c;
  if (digits.size() != 32 || anchor.size() != 36) return "";
  unsigned char raw[16];
  for (int i = 0; i < 16; ++i) {
    int high = hex_digit_value(digits[2 * i]), low = hex_digit_value(digits[2 * i + 1]);
    if (high < 0 || low < 0) return "";
    raw[kGuidTextOrder[i]] = static_cast<unsigned char>(high * 16 + low);
  }
  std::string value;
  for (unsigned char byte : raw) {
    value += '\\';
    append_hex_byte(value, byte);
  }
  return value;
}

}  // namespace ps
