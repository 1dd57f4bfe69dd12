#pragma once

#include <string>

namespace ps::testing {

// The checkout and the build directory the tests run from. They are compiled into one file only
// (build_paths.cc), not into every test's command line: an absolute path there would give every
// checkout its own ccache entries, so a fresh clone (CI) and the sanitized build would rebuild all
// the tests instead of reusing them.
const std::string& source_dir();
const std::string& build_dir();
const std::string& bin_dir();

}  // namespace ps::testing
