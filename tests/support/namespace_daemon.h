// A daemon for one test in a private mount namespace: a script of tests/support, run as
// `unshare -m -- SCRIPT DIR`, bind-mounts the test's own files in DIR over the places the daemon
// and its clients read, then execs the daemon; clients join the namespace through nsenter. The
// machine's own configuration and services are never used or changed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace ps::testing {

class NamespaceDaemon {
 public:
  // `script`: a file name in tests/support; the daemon's output goes to DIR/<log_name>.
  NamespaceDaemon(const std::string& script, const std::string& dir, const std::string& log_name);
  ~NamespaceDaemon();
  NamespaceDaemon(const NamespaceDaemon&) = delete;
  NamespaceDaemon& operator=(const NamespaceDaemon&) = delete;

  // Returns once `probe` succeeds inside; throws with the daemon's output when it has not within
  // 30 s or the daemon exited.
  void wait_until_answers(const std::vector<std::string>& probe) const;
  // ARGV run inside the namespace, `input` on stdin.
  RunResult run(std::vector<std::string> argv, const std::string& input = "") const;
  std::string log() const;

 private:
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace ps::testing
