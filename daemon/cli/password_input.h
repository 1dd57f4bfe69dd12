// Reading a new password for `portalsync password set`: from the terminal without echo, typed
// twice, or one line from stdin (a pipe, or --stdin). Never from argv or the environment. The
// password lives in one fixed buffer that is wiped when it goes away, and the process stops
// making core dumps first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ps::cli {

class SecretLine {
 public:
  static constexpr std::size_t kMaxBytes = 1024;
  SecretLine() = default;
  SecretLine(const SecretLine&) = delete;
  SecretLine& operator=(const SecretLine&) = delete;
  ~SecretLine();

  std::string_view view() const { return {bytes_, size_}; }
  bool operator==(const SecretLine& other) const { return view() == other.view(); }

  // Reads up to a newline or the end of input; a trailing "\r" is dropped.
  Status read_from(int fd);

 private:
  char bytes_[kMaxBytes + 1] = {};
  std::size_t size_ = 0;
};

// No core file and no ptrace by other users' processes from here on: a dump would hold the
// password.
void stop_core_dumps();

// Interactive (stdin is a terminal and not from_stdin): prompts on stderr with `prompt`, reads
// without echo, asks again to confirm; errors when the two differ. Otherwise one line from stdin
// (without echo if it is a terminal). Errors when nothing was given.
Status read_new_password(SecretLine& out, const std::string& prompt, bool from_stdin);

}  // namespace ps::cli
