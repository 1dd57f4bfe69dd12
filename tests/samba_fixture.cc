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
#include "tests/support/server_fixture.h"

namespace fs = std::filesystem;
using namespace ps::testing;

int main(int argc, char** argv) {
  ServerFixture fixture;
  fixture.name = "samba_fixture";
  fixture.stop_recorded = [] {
    auto state = samba_state_file();
    if (auto dc = read_samba_state(state)) {
      auto begin = std::chrono::steady_clock::now();
      stop_samba(*dc);
      std::cout << "stopped samba pid " << dc->pid << " in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()
                << " s\n";
    }
    fs::remove(state);
  };
  fixture.start = [] {
    std::string state = samba_state_file();
    std::string run_dir = fs::path(state).parent_path() / "run";
    fs::remove_all(run_dir);
    SambaDc dc = start_samba(run_dir, SambaLifetime::detached);
    write_samba_state(state, dc);
    return "samba pid " + std::to_string(dc.pid) + " on " + dc.url + " (files in " + dc.run_dir +
           ")";
  };
  return run_server_fixture(argc, argv, fixture);
}
