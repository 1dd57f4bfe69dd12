// A directory under $TMPDIR (or /tmp) that is removed with everything in it, unless
// PS_KEEP_TEST_DIRS is set (then its path is printed for a post-mortem).
#pragma once

#include <string>

namespace ps::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content, int mode = 0644);
std::string read_file(const std::string& path);

}  // namespace ps::testing
