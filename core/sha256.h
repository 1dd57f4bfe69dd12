// SHA-256 (FIPS 180-4) in plain C++: the one SHA-256 of the project, so core/ can name a set by a
// digest without a crypto library, and the admin API can hash a presented token (no branch or
// table lookup depends on the data, so the time taken says nothing about the token).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ps {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);
// The digest of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace ps
