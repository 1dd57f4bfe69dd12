#include "tests/support/process.h"
#include "tests/support/build_paths.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace ps::testing {

namespace {

using Clock = std::chrono::steady_clock;

// argv/envp as the exec functions want them, built before fork (the child only execs).
struct ExecArgs {
  std::string path;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;

  ExecArgs(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra) {
    if (args.empty()) throw std::invalid_argument("run: empty argv");
    path = args[0].find('/') == std::string::npos ? find_executable(args[0]) : args[0];
    if (path.empty()) throw std::runtime_error("program not found: " + args[0]);
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (char** e = environ; *e; ++e) {
      std::string entry(*e);
      if (!extra.count(entry.substr(0, entry.find('=')))) env_storage.push_back(std::move(entry));
    }
    for (const auto& [name, value] : extra) env_storage.push_back(name + "=" + value);
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
};

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const ExecArgs& args, int in_fd, int out_fd, int err_fd) {
  // Until exec the child runs with the test's signal handlers (Catch reports a "fatal error" from
  // them) and SIGPIPE ignored, which exec would keep: give the program the defaults.
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  ::close_range(3, ~0U, 0);  // no test sockets or pipes leak into the child
  ::execve(args.path.c_str(), args.argv.data(), args.envp.data());
  static const char msg[] = "exec failed\n";
  ssize_t ignored = ::write(2, msg, sizeof msg - 1);
  (void)ignored;
  ::_exit(127);
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read_end = fds[0];
    write_end = fds[1];
  }
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is available from fd into out; closes fd at end of file.
void drain(int& fd, std::string& out) {
  char buffer[65536];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    out.append(buffer, static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    close_fd(fd);
  }
}

// Shuttles stdin/stdout/stderr until the child closes its output or the deadline passes.
bool pump(int& in_fd, int& out_fd, int& err_fd, std::string_view input, RunResult& result,
          Clock::time_point deadline) {
  std::size_t written = 0;
  if (input.empty()) close_fd(in_fd);
  while (out_fd >= 0 || err_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[3] = {{in_fd, POLLOUT, 0}, {out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) return false;
    if (in_fd >= 0 && fds[0].revents) {
      ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // child closed it
      if (written == input.size()) close_fd(in_fd);
    }
    if (out_fd >= 0 && fds[1].revents) drain(out_fd, result.out);
    if (err_fd >= 0 && fds[2].revents) drain(err_fd, result.err);
  }
  close_fd(in_fd);
  return true;
}

void record_status(int status, RunResult& result) {
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return status;
}

// A child in a process group of its own, output appended to log_path. die_with_parent: it gets
// SIGTERM when this process dies.
pid_t spawn_child(const ExecArgs& args, const std::string& log_path, bool die_with_parent) {
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    if (die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(1);  // the parent died before prctl took effect
    }
    exec_child(args, null_fd, log_fd, log_fd);
  }
  int saved = errno;
  if (pid > 0) ::setpgid(pid, pid);  // also here: stop() may signal the group before the child runs
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(std::strerror(saved)));
  return pid;
}

// Gone, or a zombie its new parent has not reaped yet (it holds nothing any more).
bool is_gone(pid_t pid) {
  ::waitpid(pid, nullptr, WNOHANG);  // in case it is our child after all
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::string stat;
  if (FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r")) {
    char buffer[512];
    stat.assign(buffer, std::fread(buffer, 1, sizeof buffer, f));
    std::fclose(f);
  }
  // "pid (comm) S ...": the state follows the last ')', as comm may contain one.
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

}  // namespace

std::string RunResult::describe(const std::string& what) const {
  std::string text = what + ": ";
  if (timed_out)
    text += "timed out";
  else if (signal)
    text += "killed by signal " + std::to_string(signal);
  else
    text += "exit " + std::to_string(exit_code);
  std::string detail = err.empty() ? out : err;
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  if (!detail.empty()) text += ": " + detail;
  return text;
}

RunResult run(const std::vector<std::string>& argv, const std::string& input, int timeout_seconds,
              const std::map<std::string, std::string>& env) {
  // A child that exits before reading all its stdin must not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  ExecArgs args(argv, env);
  Pipe in, out, err;
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) exec_child(args, in.read_end, out.write_end, err.write_end);
  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  set_nonblocking(in.write_end);
  set_nonblocking(out.read_end);
  set_nonblocking(err.read_end);

  RunResult result;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  if (!pump(in.write_end, out.read_end, err.read_end, input, result, deadline)) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
  }
  close_fd(in.write_end);
  close_fd(out.read_end);
  close_fd(err.read_end);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  record_status(status, result);
  return result;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env) {
  return spawn_child(ExecArgs(argv, env), log_path, true);
}

pid_t spawn_detached(const std::vector<std::string>& argv, const std::string& log_path) {
  return spawn_child(ExecArgs(argv, {}), log_path, false);
}

bool has_exited(pid_t pid, int* status) {
  int s = 0;
  pid_t r = ::waitpid(pid, &s, WNOHANG);
  if (r == pid && status) *status = s;
  return r == pid || (r < 0 && errno == ECHILD);
}

int stop(pid_t pid, int signal, int seconds) {
  int status = 0;
  pid_t reaped = ::waitpid(pid, &status, WNOHANG);
  if (reaped != 0) return reaped == pid ? decode_status(status) : -1;  // gone before this call
  // spawn() made the child a process-group leader: signal the group, so that what it started
  // (flock's command, a server's workers) goes with it.
  if (signal) ::kill(-pid, signal);
  auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while ((reaped = ::waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (reaped == 0) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  // Leftovers still hold the group id, so it cannot have been reused by anyone else yet.
  ::kill(-pid, SIGKILL);
  return decode_status(status);
}

bool stop_process_group(pid_t pid, int seconds) {
  if (pid <= 0 || is_gone(pid)) return false;
  ::kill(-pid, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (!is_gone(pid) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(-pid, SIGKILL);  // the leader if it is still there, and anything left in its group
  deadline = Clock::now() + std::chrono::seconds(5);
  while (!is_gone(pid) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return true;
}

int free_loopback_port() {
  static std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> below_ephemeral(20000, 32000);
  for (int attempt = 0; attempt < 200; ++attempt) {
    int port = below_ephemeral(random);
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (free) return port;
  }
  throw std::runtime_error("no free loopback port found");
}

std::string bin(const std::string& name) { return ps::testing::bin_dir() + "/" + name; }

std::string find_executable(const std::string& name) {
  const char* env_path = std::getenv("PATH");
  std::string dirs = std::string(env_path ? env_path : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

}  // namespace ps::testing
