// What the fuzz targets share: a property check that stops the run with a message, so a broken
// round trip is reported like a crash (libFuzzer saves the input as crash-<sha1>).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define PS_FUZZ_CHECK(condition, what)                                                   \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

inline std::string_view fuzz_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}
