#include "connectors/apihost/wire_values.h"

#include <openssl/evp.h>

namespace ps::apihost {

namespace {

// The length of the UTF-8 character at s[i], or 0 when it is not one: strict (no overlongs, no
// surrogates, nothing above U+10FFFF, no truncated sequence).
std::size_t utf8_length_at(std::string_view s, std::size_t i) {
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t extra = c < 0x80           ? 0
                      : (c >> 5) == 0x6  ? 1
                      : (c >> 4) == 0xE  ? 2
                      : (c >> 3) == 0x1E ? 3
                                         : 4;
  if (extra == 4 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return 0;
  std::uint32_t cp = extra == 0 ? c : c & (0x3Fu >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 0x2) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// RFC 4648 base64 with padding, nothing else: EVP_DecodeBlock alone takes '=' anywhere as zero bits
// and trims blanks, so a bad value would become other bytes instead of an error.
bool is_strict_base64(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i)
    if (!is_base64_char(text[i])) return false;
  return true;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::string> unbase64(const std::string& text) {
  if (!is_strict_base64(text)) return Error{"not base64"};
  if (text.empty()) return std::string();
  std::string out(3 * text.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return Error{"not base64"};
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace

bool is_utf8(std::string_view s) {
  for (std::size_t i = 0, n = 0; i < s.size(); i += n)
    if ((n = utf8_length_at(s, i)) == 0) return false;
  return true;
}

std::string with_invalid_utf8_replaced(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto n = utf8_length_at(s, i);
    out += n == 0 ? std::string_view("?") : s.substr(i, n);
    i += n == 0 ? 1 : n;
  }
  return out;
}

std::string dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json encode_value(std::string_view value) {
  if (is_utf8(value)) return std::string(value);
  return nlohmann::json{{"base64", base64(value)}};
}

Result<std::string> decode_value(const nlohmann::json& value, const std::string& field) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.size() == 1 && value.contains("base64") &&
      value["base64"].is_string()) {
    auto bytes = unbase64(value["base64"].get<std::string>());
    if (!bytes) return Error{field + ": the base64 value is not valid base64"};
    return bytes;
  }
  return Error{field + ": expected a string or {\"base64\": \"...\"}"};
}

Result<nlohmann::json> parse_object(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return Error{"the body is not valid JSON"};
  if (!json.is_object()) return Error{"the body must be a JSON object"};
  return json;
}

Result<std::string> string_field(const nlohmann::json& object, const char* key,
                                 const std::string& where, bool required) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (!required) return std::string();
    return Error{where + key + ": is required"};
  }
  if (!it->is_string()) return Error{where + key + ": must be a string"};
  auto text = it->get<std::string>();
  // Names and DNs go on to C APIs that stop at a NUL: "CN=x\0,<the subtree>" would be checked as
  // inside the subtree and applied as "CN=x". Attribute values are bytes and may hold one.
  if (text.find('\0') != std::string::npos)
    return Error{where + key + ": must not contain a NUL character"};
  return text;
}

}  // namespace ps::apihost
