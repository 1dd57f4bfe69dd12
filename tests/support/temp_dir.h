// A throwaway directory for one test, and whole-file helpers for the fixtures written into it.
// The directory is created under $TMPDIR (or /tmp) and removed with everything in it when the
// object goes away, unless PS_KEEP_TEST_DIRS is set (then its path is printed, so a failed test's
// slapd.conf, logs and data can be inspected).
#pragma once

#include <string>
#include <string_view>

namespace ps::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "ps-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name; creates nothing.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Creates or truncates path with the given permission bits, set before any byte is written (a
// password file is never briefly world-readable). Failures throw: the test cannot run without it.
void write_file(const std::string& path, std::string_view content, int mode = 0644);
std::string read_file(const std::string& path);

}  // namespace ps::testing
