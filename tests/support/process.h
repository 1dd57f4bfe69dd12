// Running the real programs a test drives (portalsync, ldapsearch, slapd): argv only, no shell.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace ps::testing {

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs to completion (killed after timeout_seconds), feeding `input` on stdin.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              int timeout_seconds = 120, const std::map<std::string, std::string>& env = {});

// Starts a child in the background (stdout and stderr to `log_path`); returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env = {});

// Sends `signal` (none when 0) and waits up to `seconds` for the child to exit; SIGKILL after that.
// Returns the exit status (or -signal).
int stop(pid_t pid, int signal, int seconds = 10);

// A TCP port on 127.0.0.1 nobody listens on right now.
int free_loopback_port();

std::string bin(const std::string& name);  // build/bin/<name>

}  // namespace ps::testing
