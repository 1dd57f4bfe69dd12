// The ctest fixture around the MariaDB tests: `mariadb_fixture start` starts one server for the
// whole run (tests/support/mariadb_server.h), detached, and records it in the state file that
// shared_mariadb() reads; `mariadb_fixture stop` stops it by PID. A server left by an interrupted
// run is stopped before a new one starts.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/mariadb_server.h"
#include "tests/support/server_fixture.h"

namespace fs = std::filesystem;
using namespace ps::testing;

int main(int argc, char** argv) {
  ServerFixture fixture;
  fixture.name = "mariadb_fixture";
  fixture.stop_recorded = [] {
    if (auto server = read_mariadb_state()) stop_mariadb(*server);
    if (auto dir = read_mariadb_state_dir(); !dir.empty()) fs::remove_all(dir);
    fs::remove(mariadb_state_file());
  };
  fixture.start = [] {
    auto dir = fs::temp_directory_path() / ("ps-mariadb-" + std::to_string(getpid()));
    auto server = start_mariadb(dir.string(), MariadbLifetime::detached);
    write_mariadb_state(server);
    return "mariadb pid " + std::to_string(server.pid) +
           " on 127.0.0.1:" + std::to_string(server.port) + " (files in " + server.dir + ")";
  };
  return run_server_fixture(argc, argv, fixture);
}
