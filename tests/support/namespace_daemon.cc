#include "tests/support/namespace_daemon.h"
#include "tests/support/build_paths.h"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

namespace ps::testing {

NamespaceDaemon::NamespaceDaemon(const std::string& script, const std::string& dir,
                                 const std::string& log_name)
    : log_path_(dir + "/" + log_name) {
  pid_ = spawn({"unshare", "-m", "--", ps::testing::source_dir() + "/tests/support/" + script, dir},
               log_path_);
}

NamespaceDaemon::~NamespaceDaemon() {
  if (pid_ > 0) stop(pid_, SIGTERM);
}

void NamespaceDaemon::wait_until_answers(const std::vector<std::string>& probe) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!run(probe).ok()) {
    if (has_exited(pid_) || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error(probe.back() + " was not found through the daemon:\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

RunResult NamespaceDaemon::run(std::vector<std::string> argv, const std::string& input) const {
  argv.insert(argv.begin(), {"nsenter", "-t", std::to_string(pid_), "-m", "--"});
  return ps::testing::run(argv, input, 60);
}

std::string NamespaceDaemon::log() const { return read_file(log_path_); }

}  // namespace ps::testing
