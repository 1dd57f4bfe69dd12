#include "daemon/wiring/person_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ps {

std::string person_key_digest(std::string_view key, std::string_view input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

std::function<std::string(std::string_view)> person_key_function(std::string key) {
  return [key = std::move(key)](std::string_view input) { return person_key_digest(key, input); };
}

}  // namespace ps
