// The ctest fixture around the PostgreSQL tests: `postgres_fixture start` starts one cluster for
// the whole run (tests/support/postgres_server.h) and records it in the state file that
// shared_postgres() reads; `postgres_fixture stop` stops it. A cluster left by an interrupted run
// is stopped before a new one starts.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "tests/support/postgres_server.h"

namespace fs = std::filesystem;
using namespace ps::testing;

namespace {

void stop_recorded() {
  if (auto cluster = read_postgres_state()) stop_postgres(*cluster);
  if (auto dir = read_postgres_state_dir(); !dir.empty()) fs::remove_all(dir);
  fs::remove(postgres_state_file());
}

int start() {
  stop_recorded();
  auto begin = std::chrono::steady_clock::now();
  auto dir = fs::temp_directory_path() / ("ps-postgres-" + std::to_string(getpid()));
  auto cluster = start_postgres(dir.string());
  write_postgres_state(cluster);
  std::cout << "postgres on 127.0.0.1:" << cluster.port << " ready after "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()
            << " s (files in " << cluster.dir << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc == 2 ? argv[1] : "";
  try {
    if (command == "start") return start();
    if (command == "stop") {
      stop_recorded();
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "postgres_fixture " << command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: postgres_fixture start|stop\n";
  return 2;
}
