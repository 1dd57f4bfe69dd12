// SHA-256 (FIPS 180-4) in plain C++, so core/ can name a set by a digest without a crypto
// library. Not for secrets: the digest identifies what an operator approved.
#pragma once

#include <string>
#include <string_view>

namespace ps {

// The digest of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace ps
