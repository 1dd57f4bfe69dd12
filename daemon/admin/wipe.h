// Zeroing request data that may hold a secret (a password sent to POST
// /v1/accounts/{username}/password) once it has been used, so it does not linger in freed memory.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace ps::admin {

// Overwrites the characters with zeros (a write the compiler may not drop), then empties it.
void wipe(std::string& text);
void wipe(void* bytes, std::size_t size);

// A string wiped when it goes away.
class WipedString {
 public:
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { wipe(text_); }
  const std::string& view() const { return text_; }

 private:
  std::string text_;
};

}  // namespace ps::admin
