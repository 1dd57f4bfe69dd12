// A throwaway MariaDB 10.11 server for the tests: mariadb-install-db into a directory of its own
// (copied from a template made once per build directory: installing takes ~6 s, copying ~0.1 s),
// then mariadbd on a free loopback port and its own unix socket, stopped by PID. One server
// serves a whole ctest run (tests/mariadb_fixture.cc starts and stops it); a test process run by
// hand without it starts one of its own.
// root logs in over the socket (unix_socket authentication); two accounts with random passwords,
// each in a MariaDB option file: portal_owner (the portal, all rights on its database) and
// portalsync (least privilege: exactly the GRANTs docs/portal-schema.md gives for MariaDB).
// portalsync's password holds a quote, a backslash, a space and a '#', so quoting is tested.
// Each test works in a database of its own.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

namespace ps::testing {

struct MariadbServer {
  std::string dir;  // data/, the socket, server.log, the option files
  int port = 0;
  pid_t pid = 0;
  std::string socket() const { return dir + "/mariadb.sock"; }
  std::string option_file(const std::string& account) const { return dir + "/" + account + ".cnf"; }
};

enum class MariadbLifetime {
  this_process,  // stopped when the starting process exits
  detached,      // outlives it (the fixture); stopped by stop_mariadb
};

// Installs (or copies the template), starts, creates the accounts; throws with the tools' output.
MariadbServer start_mariadb(const std::string& dir, MariadbLifetime lifetime);
void stop_mariadb(const MariadbServer& server);  // SIGTERM by PID, SIGKILL after 10 s
// For a test's own server only (the shared one serves other tests): mariadbd started again on its
// data, port and socket after stop_mariadb, as `systemctl start mariadb` would.
void start_stopped_mariadb(MariadbServer& server);
std::string mariadb_state_file();  // <build>/mariadb/state
void write_mariadb_state(const MariadbServer& server);
std::optional<MariadbServer> read_mariadb_state();  // nullopt when none is running
std::string read_mariadb_state_dir();               // the recorded dir, running or not

// The fixture's server, or one started for this process.
const MariadbServer& shared_mariadb();

// The mariadb client as root over the socket (batch mode, no column names); stdout. Throws with
// the client's errors on failure.
std::string mariadb_sql(const MariadbServer& server, const std::string& database,
                        const std::string& sql);

// A database of its own for one test (default collation utf8mb4_general_ci, as Debian's server
// has it: it ignores letter case), set up the way docs/portal-schema.md tells a DBA to: the
// interface tables created by the portal (create_interface_tables, run with portal_owner's URL)
// and portalsync's GRANTs applied from the MariaDB block of docs/portal-schema.md. portalsync's
// database, <name>_portalsync, is created by `db init`. Both dropped when it goes away.
class MariadbDatabase {
 public:
  explicit MariadbDatabase(
      const std::function<void(const std::string& owner_url)>& create_interface_tables);
  // The same on `server`, a server of the test's own (which must outlive it).
  MariadbDatabase(const MariadbServer& server,
                  const std::function<void(const std::string& owner_url)>& create_interface_tables);
  ~MariadbDatabase();
  MariadbDatabase(const MariadbDatabase&) = delete;
  MariadbDatabase& operator=(const MariadbDatabase&) = delete;

  const std::string& name() const { return name_; }
  // mysql://db=N host=127.0.0.1 port=P option_file=F (never a password); "root" connects over
  // the socket.
  std::string url(const std::string& account = "portalsync") const;
  // The mariadb client as root in this database.
  std::string sql(const std::string& statements) const;
  // The mariadb client over TCP as an account, with its option file (as the portal writes).
  std::string sql_as(const std::string& account, const std::string& statements) const;

 private:
  const MariadbServer& server_;
  std::string name_;
};

// The GRANT statements of docs/portal-schema.md for MariaDB (between <!-- mariadb-grants -->
// and <!-- /mariadb-grants -->), for the portal database `name`.
std::string documented_mariadb_grants(const std::string& name);

}  // namespace ps::testing
