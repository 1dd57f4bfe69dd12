#include "tests/support/build_paths.h"

namespace ps::testing {

const std::string& source_dir() {
  static const std::string dir = PS_SOURCE_DIR;
  return dir;
}

const std::string& build_dir() {
  static const std::string dir = PS_BUILD_DIR;
  return dir;
}

const std::string& bin_dir() {
  static const std::string dir = PS_BIN_DIR;
  return dir;
}

}  // namespace ps::testing
