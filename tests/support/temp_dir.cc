#include "tests/support/temp_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace ps::testing {

namespace {

std::string temp_root() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir && *tmpdir ? tmpdir : "/tmp";
}

}  // namespace

TempDir::TempDir(std::string_view prefix) {
  std::string pattern = temp_root() + "/" + std::string(prefix) + "-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data()))
    throw std::runtime_error("cannot create temp dir " + pattern + ": " + std::strerror(errno));
  path_ = buffer.data();
}

TempDir::~TempDir() {
  if (std::getenv("PS_KEEP_TEST_DIRS")) {
    std::fprintf(stderr, "PS_KEEP_TEST_DIRS: kept %s\n", path_.c_str());
    return;
  }
  std::error_code ignored;  // a destructor cannot report; a leftover temp dir is harmless
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, std::string_view content, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  ::fchmod(fd, static_cast<mode_t>(mode));  // open() applies the umask, keeps an old file's mode
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(saved));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace ps::testing
