// YAML configuration: load_config on any text. The file sits in a private directory next to a
// secret file ("bind.secret", "token.secret", "audit.key") that relative paths in it may name, so
// loading goes as far as a valid configuration does. Every problem must come back as an error
// value naming the file (never an exception, a crash or a hang).
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "config/config.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string make_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ps-config-fuzz-XXXXXX";
  if (!mkdtemp(pattern.data())) std::abort();
  for (const char* name : {"bind.secret", "token.secret", "audit.key"}) {
    std::ofstream secret(pattern + "/" + name);
    secret << "s3cret-value-for-fuzzing\n";
    chmod((pattern + "/" + name).c_str(), 0600);
  }
  return pattern;
}

struct Dir {
  std::string path = make_dir();
  ~Dir() {
    for (const char* name : {"portalsync.yaml", "bind.secret", "token.secret", "audit.key"})
      unlink((path + "/" + name).c_str());
    rmdir(path.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Dir dir;
  auto file = dir.path + "/portalsync.yaml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto config = ps::load_config(file);
  if (!config)
    PS_FUZZ_CHECK(config.error().find(file) != std::string::npos, "an error names the file");
  return 0;
}
