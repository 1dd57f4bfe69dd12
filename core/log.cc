#include "core/log.h"

#include "core/text.h"

namespace ps {

std::string escape_control_characters(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
      continue;
    }
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        out += "\\x";
        append_hex_byte(out, byte);
      }
    }
  }
  return out;
}

}  // namespace ps
