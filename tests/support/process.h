// Child processes for tests: run a program to completion (argv as given, no shell) capturing its
// output, or start a server in the background and stop it again by PID. Also picks free loopback
// ports and finds the programs this project builds.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace ps::testing {

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal, timed out or could not start
  int signal = 0;      // the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  // "<what>: exit 32: No such object (32)": for failure messages.
  std::string describe(const std::string& what) const;
};

// Runs argv[0] (searched in PATH, then /usr/sbin and /sbin), feeding `input` on stdin; killed
// (SIGKILL) after timeout_seconds. env adds to (or overrides) our environment.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              int timeout_seconds = 120, const std::map<std::string, std::string>& env = {});

// Starts a child in the background, in a process group of its own: stdin /dev/null, stdout and
// stderr appended to log_path. It gets SIGTERM if this process dies, so a crashed test leaves no
// server behind.
// Returns its pid; throws when the program cannot be found or forked.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env = {});

// Like spawn, but the child outlives this process (no SIGTERM when we exit): for a server shared
// by several test processes, stopped later by stop_process_group. Give it a lifetime of its own.
pid_t spawn_detached(const std::vector<std::string>& argv, const std::string& log_path);

// Reaps pid if it has exited: true then, with its wait status in *status.
bool has_exited(pid_t pid, int* status = nullptr);

// For a spawned child: sends `signal` (none when 0) to its process group and waits up to
// `seconds` for it to exit; SIGKILL after that, and to whatever it left behind in its group.
// Returns the exit status, or -signal when a signal ended it (-1 if it was already reaped).
int stop(pid_t pid, int signal, int seconds = 10);

// For a process-group leader that need not be our child (spawn_detached in another test process):
// SIGTERM to its group, wait up to `seconds` for the leader to be gone, then SIGKILL the group.
// Returns false when no such process was running.
bool stop_process_group(pid_t pid, int seconds = 10);

// A TCP port on 127.0.0.1 nobody listens on right now. Picked at random below the kernel's
// ephemeral range (32768+), so it does not collide with the client side of other connections.
int free_loopback_port();

// A program this project builds: <build>/bin/<name>.
std::string bin(const std::string& name);

// The full path of a program (PATH, then /usr/sbin and /sbin); "" when not found.
std::string find_executable(const std::string& name);

}  // namespace ps::testing
