#include "connectors/ldap/ldap_anchor.h"

#include "core/text.h"

namespace ps {

namespace {

std::string format_guid(std::string_view bytes) {
  static const char* hex = "0123456789abcdef";
  // Byte order of the text form: Data1 (4 bytes LE), Data2 and Data3 (2 bytes LE), then 8 bytes.
  static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    auto byte = static_cast<unsigned char>(bytes[order[i]]);
    text += hex[byte >> 4];
    text += hex[byte & 15];
  }
  return text;
}

}  // namespace

std::string format_anchor(std::string_view attribute, std::string_view raw_value) {
  if (iequals(attribute, "objectGUID") && raw_value.size() == 16) return format_guid(raw_value);
  return std::string(raw_value);
}

}  // namespace ps
