// The version every executable prints for --version: the CMake project VERSION, the one place it
// is written (debian/changelog is checked against it by tests/package/check-version).
#pragma once

namespace ps {

const char* version();

}  // namespace ps
