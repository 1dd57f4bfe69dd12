#include "daemon/admin/wipe.h"

#include <openssl/crypto.h>

namespace ps::admin {

void wipe(void* bytes, std::size_t size) {
  if (size > 0) OPENSSL_cleanse(bytes, size);
}

// The whole capacity: a string that shrank keeps old characters past its size.
void wipe(std::string& text) {
  text.resize(text.capacity());
  wipe(text.data(), text.size());
  text.clear();
}

}  // namespace ps::admin
