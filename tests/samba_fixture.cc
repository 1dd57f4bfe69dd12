// The ctest fixture around the AD tests: `samba_fixture start` provisions (first time only) and
// starts one Samba DC for the whole run, detached, and records it in the state file that
// shared_samba() reads; `samba_fixture stop` stops it by PID. A DC left by an interrupted run is
// stopped before a new one starts. Its files stay in <build>/samba/run until the next start, for
// reading samba.log after a failure.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "tests/support/samba_server.h"

namespace fs = std::filesystem;
using namespace ps::testing;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void stop_recorded(const std::string& state) {
  if (auto dc = read_samba_state(state)) {
    auto start = std::chrono::steady_clock::now();
    stop_samba(*dc);
    std::cout << "stopped samba pid " << dc->pid << " in " << seconds_since(start) << " s\n";
  }
  fs::remove(state);
}

int start() {
  std::string state = samba_state_file();
  stop_recorded(state);
  std::string run_dir = fs::path(state).parent_path() / "run";
  fs::remove_all(run_dir);
  auto begin = std::chrono::steady_clock::now();
  SambaDc dc = start_samba(run_dir, SambaLifetime::detached);
  write_samba_state(state, dc);
  std::cout << "samba pid " << dc.pid << " on " << dc.url << ", ready after "
            << seconds_since(begin) << " s (files in " << dc.run_dir << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc == 2 ? argv[1] : "";
  try {
    if (command == "start") return start();
    if (command == "stop") {
      stop_recorded(samba_state_file());
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "samba_fixture " << command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: samba_fixture start|stop\n";
  return 2;
}
