#include "connectors/apihost/wire_values.h"

#include <openssl/evp.h>

#include "core/text.h"

namespace ps::apihost {

namespace {

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

std::string dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json encode_value(std::string_view value) {
  if (is_valid_utf8(value)) return std::string(value);
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
