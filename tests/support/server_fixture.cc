#include "tests/support/server_fixture.h"

#include <chrono>
#include <iostream>

namespace ps::testing {

int run_server_fixture(int argc, char** argv, const ServerFixture& fixture) {
  std::string command = argc == 2 ? argv[1] : "";
  try {
    if (command == "start") {
      fixture.stop_recorded();
      auto begin = std::chrono::steady_clock::now();
      auto what = fixture.start();
      std::cout << what << ": ready after "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()
                << " s\n";
      return 0;
    }
    if (command == "stop") {
      fixture.stop_recorded();
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << fixture.name << " " << command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: " << fixture.name << " start|stop\n";
  return 2;
}

}  // namespace ps::testing
