// The person key (directory.person_key): HMAC-SHA256 of a national ID with the site's key, so the
// directory can hold "the same person" without holding the national ID (docs/directory-mapping.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ps {

// HMAC-SHA256(key, input) as 64 lowercase hex digits.
std::string person_key_digest(std::string_view key, std::string_view input);

// The mapping's person_key: person_key_digest with `key` (kept inside the function only).
std::function<std::string(std::string_view)> person_key_function(std::string key);

}  // namespace ps
