#include "daemon/cli/password_input.h"

#include <openssl/crypto.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace ps::cli {

namespace {

// The terminal settings to put back if a signal ends the program while echo is off; only
// async-signal-safe calls in the handler.
termios g_saved_terminal;
volatile std::sig_atomic_t g_echo_off = 0;

void restore_terminal_and_die(int signal) {
  if (g_echo_off) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0) return;
    for (int s : kSignals) previous_[index(s)] = std::signal(s, restore_terminal_and_die);
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the user still sees their Enter
    g_echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    active_ = true;
  }
  ~EchoOff() {
    if (!active_) return;
    if (g_echo_off) tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
    g_echo_off = 0;
    for (int s : kSignals) std::signal(s, previous_[index(s)]);
  }
  EchoOff(const EchoOff&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
  static std::size_t index(int s) {
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
      if (kSignals[i] == s) return i;
    return 0;
  }
  void (*previous_[std::size(kSignals)])(int) = {};
  bool active_ = false;
};

Status read_prompted(SecretLine& out, const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  EchoOff quiet;
  return out.read_from(STDIN_FILENO);
}

}  // namespace

SecretLine::~SecretLine() { OPENSSL_cleanse(bytes_, sizeof bytes_); }

Status SecretLine::read_from(int fd) {
  size_ = 0;
  while (true) {
    char c = 0;
    auto n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Status::error(std::string("cannot read the password: ") + std::strerror(errno));
    if (n == 0 || c == '\n') break;
    if (size_ == kMaxBytes)
      return Status::error("the password is longer than " + std::to_string(kMaxBytes) + " bytes");
    bytes_[size_++] = c;
  }
  if (size_ > 0 && bytes_[size_ - 1] == '\r') bytes_[--size_] = 0;
  if (size_ == 0) return Status::error("no password given (an empty line)");
  return Status::ok();
}

void stop_core_dumps() {
  rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

Status read_new_password(SecretLine& out, const std::string& prompt, bool from_stdin) {
  bool terminal = isatty(STDIN_FILENO);
  if (from_stdin || !terminal) {
    if (!terminal) return out.read_from(STDIN_FILENO);
    EchoOff quiet;
    return out.read_from(STDIN_FILENO);
  }
  if (auto st = read_prompted(out, prompt); !st) return st;
  SecretLine again;
  if (auto st = read_prompted(again, "Again: "); !st) return st;
  if (!(out == again)) return Status::error("the two passwords differ; nothing was changed");
  return Status::ok();
}

}  // namespace ps::cli
