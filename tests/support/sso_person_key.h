// The single sign-on service's side of the person key (docs/directory-mapping.md), computed the
// way that team would, with python3's hmac, so the tests do not check portalsync against itself.
#pragma once

#include <string>

namespace ps::testing {

// HMAC-SHA256 of `national_id` with the key file's line, as python3 computes it; throws when
// python3 fails.
std::string sso_person_key(const std::string& key_file, const std::string& national_id);

}  // namespace ps::testing
