// RFC 4515 filter values (account names and DNs that end up in search filters): the escaped text
// holds no filter metacharacter and unescapes back to the input, so a name cannot widen a search.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/dn.h"
#include "core/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// The server's side: "\2a" -> '*'. Nothing else may follow a backslash.
bool unescape(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int h1 = ps::hex_digit_value(in[i + 1]), h2 = ps::hex_digit_value(in[i + 2]);
    if (h1 < 0 || h2 < 0) return false;
    out += static_cast<char>(h1 * 16 + h2);
    i += 2;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto value = fuzz_text(data, size);
  auto escaped = ps::escape_filter_value(value);
  for (char c : escaped)
    PS_FUZZ_CHECK(c != '*' && c != '(' && c != ')' && c != '\0', "no filter metacharacter left");
  std::string back;
  PS_FUZZ_CHECK(unescape(escaped, back), "every backslash starts a two-digit hex escape");
  PS_FUZZ_CHECK(back == value, "unescaping gives the value back");
  return 0;
}
