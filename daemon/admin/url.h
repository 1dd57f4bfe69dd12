// Decoding the parts of a request target: percent-encoded path segments and the query string.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ps::admin {

// "%E7%8E%8B" → "王". Nothing for a malformed escape or an encoded NUL. In a query string '+' also
// stands for a space (form encoding), in a path segment it is a plus.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// "a=1&b=x%20y&flag" → {a:1, b:"x y", flag:""}. A malformed escape or a name given twice is an
// error naming the parameter.
Result<std::map<std::string, std::string>> parse_query(std::string_view query);

}  // namespace ps::admin
