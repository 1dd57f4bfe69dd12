// The ctest fixture around the PostgreSQL tests: `postgres_fixture start` starts one cluster for
// the whole run (tests/support/postgres_server.h) and records it in the state file that
// shared_postgres() reads; `postgres_fixture stop` stops it. A cluster left by an interrupted run
// is stopped before a new one starts.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/postgres_server.h"
#include "tests/support/server_fixture.h"

namespace fs = std::filesystem;
using namespace ps::testing;

int main(int argc, char** argv) {
  ServerFixture fixture;
  fixture.name = "postgres_fixture";
  fixture.stop_recorded = [] {
    if (auto cluster = read_postgres_state()) stop_postgres(*cluster);
    if (auto dir = read_postgres_state_dir(); !dir.empty()) fs::remove_all(dir);
    fs::remove(postgres_state_file());
  };
  fixture.start = [] {
    auto dir = fs::temp_directory_path() / ("ps-postgres-" + std::to_string(getpid()));
    auto cluster = start_postgres(dir.string());
    write_postgres_state(cluster);
    return "postgres on 127.0.0.1:" + std::to_string(cluster.port) + " (files in " + cluster.dir +
           ")";
  };
  return run_server_fixture(argc, argv, fixture);
}
