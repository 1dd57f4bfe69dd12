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
