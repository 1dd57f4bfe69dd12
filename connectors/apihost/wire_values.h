// Attribute values on the wire: a JSON string when the value is UTF-8 text, else
// {"base64": "..."} (JSON strings cannot carry arbitrary bytes). Internal to the wire codec.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ps::apihost {

nlohmann::json encode_value(std::string_view value);
Result<std::string> decode_value(const nlohmann::json& value, const std::string& field);

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_utf8(std::string_view s);
// `s` with every byte that is not part of a UTF-8 character as "?": for messages about it.
std::string with_invalid_utf8_replaced(std::string_view s);

// The JSON text of `json`; a string that is not UTF-8 comes out with U+FFFD rather than an
// exception (callers check names with check_encodable first; this is the last line of defence).
std::string dump(const nlohmann::json& json);

// `body` parsed as a JSON object, or an error saying it is not one.
Result<nlohmann::json> parse_object(std::string_view body);

// Typed field access with errors naming the field ("operations[2].dn"). A string holding a NUL is
// refused: fields are names and DNs, never binary.
Result<std::string> string_field(const nlohmann::json& object, const char* key,
                                 const std::string& where, bool required = true);

}  // namespace ps::apihost
