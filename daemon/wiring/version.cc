#include "daemon/wiring/version.h"

namespace ps {

// PS_VERSION is defined for this file only (daemon/CMakeLists.txt).
const char* version() { return PS_VERSION; }

}  // namespace ps
