// The main of a ctest fixture program around a server one test run shares (PostgreSQL, MariaDB,
// the Samba DC): `NAME start` stops whatever an interrupted run left, starts the server and
// records it in a state file the tests read; `NAME stop` stops the recorded one.
#pragma once

#include <functional>
#include <string>

namespace ps::testing {

struct ServerFixture {
  std::string name;                     // the program, for messages
  std::function<void()> stop_recorded;  // stops the recorded server, forgets it
  std::function<std::string()> start;   // starts and records one; says what and where
};

// Prints what start() said with the time it took; returns the exit status.
int run_server_fixture(int argc, char** argv, const ServerFixture& fixture);

}  // namespace ps::testing
