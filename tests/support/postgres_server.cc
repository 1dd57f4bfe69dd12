#include "tests/support/postgres_server.h"
#include "tests/support/build_paths.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/server_setup.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

namespace ps::testing {

namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

RunResult as_postgres(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return run(argv, "", 120);
}

void give_to_postgres(const std::string& path) {
  const passwd* pw = getpwnam("postgres");
  if (!pw) throw std::runtime_error("no postgres user: install the postgresql package");
  if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::runtime_error("cannot give " + path + " to the postgres user");
}

bool is_ready(const PostgresCluster& c) {
  return run({kBin + "pg_isready", "-q", "-h", c.dir, "-p", std::to_string(c.port)}, "", 10).ok();
}

// The fixture's cluster, or one of our own (then `own` holds its files and it stops at exit).
struct SharedCluster {
  PostgresCluster cluster;
  std::unique_ptr<TempDir> own;
  ~SharedCluster() {
    if (own) stop_postgres(cluster);
  }
};

SharedCluster find_or_start() {
  if (auto running = read_postgres_state()) return SharedCluster{*running, nullptr};
  auto dir = std::make_unique<TempDir>("ps-postgres");
  chmod(dir->path().c_str(), 0711);  // the postgres user reaches its cluster below it
  return SharedCluster{start_postgres(dir->file("cluster")), std::move(dir)};
}

}  // namespace

PostgresCluster start_postgres(const std::string& dir) {
  PostgresCluster c{dir, free_loopback_port()};
  fs::create_directories(dir);
  chmod(dir.c_str(), 0700);
  give_to_postgres(dir);
  auto superuser = random_hex(24), owner = random_hex(24), portalsync = random_hex(24);
  auto pwfile = dir + "/superuser-password";
  write_file(pwfile, superuser, 0600);
  give_to_postgres(pwfile);
  // Unix socket: trust (psql as root, -U postgres). TCP: passwords, as portalsync connects.
  require_success(as_postgres({kBin + "initdb", "-D", dir + "/data", "-U", "postgres", "--pwfile",
                               pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E",
                               "UTF8", "--locale=C.UTF-8", "--no-sync"}),
                  "initdb");
  start_stopped_postgres(c);
  psql(c, "postgres",
       "CREATE ROLE portal_owner LOGIN PASSWORD '" + owner +
           "'; CREATE ROLE portalsync LOGIN PASSWORD '" + portalsync + "';");
  auto host = "127.0.0.1:" + std::to_string(c.port) + ":*:";
  write_file(c.passfile(),
             host + "postgres:" + superuser + "\n" + host + "portal_owner:" + owner + "\n" + host +
                 "portalsync:" + portalsync + "\n",
             0600);
  return c;
}

void start_stopped_postgres(const PostgresCluster& c) {
  require_success(
      as_postgres({kBin + "pg_ctl", "-D", c.dir + "/data", "-l", c.dir + "/server.log", "-w", "-o",
                   "-p " + std::to_string(c.port) + " -k " + c.dir +
                       " -c listen_addresses=127.0.0.1 -c fsync=off"
                       " -c full_page_writes=off -c synchronous_commit=off",
                   "start"}),
      "pg_ctl start");
}

void restart_postgres(const PostgresCluster& c) {
  require_success(as_postgres({kBin + "pg_ctl", "-D", c.dir + "/data", "-l", c.dir + "/server.log",
                               "-m", "fast", "-w", "restart"}),
                  "pg_ctl restart");
}

void stop_postgres(const PostgresCluster& c) {
  as_postgres({kBin + "pg_ctl", "-D", c.dir + "/data", "-m", "immediate", "-w", "stop"});
}

std::string postgres_state_file() {
  const char* path = std::getenv("PS_POSTGRES_STATE");
  return path ? path : ps::testing::build_dir() + "/postgres/state";
}

void write_postgres_state(const PostgresCluster& c) {
  fs::create_directories(fs::path(postgres_state_file()).parent_path());
  write_file(postgres_state_file(), c.dir + "\n" + std::to_string(c.port) + "\n", 0600);
}

std::string read_postgres_state_dir() {
  std::error_code ec;
  if (!fs::exists(postgres_state_file(), ec)) return "";
  auto text = read_file(postgres_state_file());
  return text.substr(0, text.find('\n'));
}

std::optional<PostgresCluster> read_postgres_state() {
  std::error_code ec;
  if (!fs::exists(postgres_state_file(), ec)) return std::nullopt;
  auto text = read_file(postgres_state_file());
  auto newline = text.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  PostgresCluster c{text.substr(0, newline), std::atoi(text.c_str() + newline + 1)};
  if (c.port <= 0 || !is_ready(c)) return std::nullopt;
  return c;
}

const PostgresCluster& shared_postgres() {
  static SharedCluster shared = find_or_start();
  return shared.cluster;
}

std::string psql(const PostgresCluster& c, const std::string& database, const std::string& sql) {
  auto r = run({kBin + "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", c.dir, "-p",
                std::to_string(c.port), "-U", "postgres", "-d", database, "-c", sql},
               "", 60);
  require_success(r, "psql " + sql.substr(0, 80));
  return r.out;
}

std::string documented_grants() { return documented_sql("grants"); }

PostgresDatabase::PostgresDatabase(
    const std::function<void(const std::string& owner_url)>& create_interface_tables,
    PostgresDatabaseOptions options)
    : PostgresDatabase(shared_postgres(), create_interface_tables, options) {}

PostgresDatabase::PostgresDatabase(
    const PostgresCluster& cluster,
    const std::function<void(const std::string& owner_url)>& create_interface_tables,
    PostgresDatabaseOptions options)
    : cluster_(cluster) {
  static std::atomic<int> counter{0};
  name_ = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  auto collation = options.language_collation
                       ? " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                       : "";
  ps::testing::psql(cluster_, "postgres",
                    "CREATE DATABASE " + name_ + " OWNER portal_owner" + collation);
  psql("CREATE SCHEMA portalsync AUTHORIZATION portalsync");
  create_interface_tables(url("portal_owner"));
  psql("SET ROLE portal_owner; " + documented_grants());
}

PostgresDatabase::~PostgresDatabase() {
  try {
    ps::testing::psql(cluster_, "postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster goes with the run; a database left behind costs nothing.
  }
}

std::string PostgresDatabase::url(const std::string& role) const {
  return "postgresql://host=127.0.0.1 port=" + std::to_string(cluster_.port) + " dbname=" + name_ +
         " user=" + role + " passfile=" + cluster_.passfile();
}

std::string PostgresDatabase::psql(const std::string& sql) const {
  return ps::testing::psql(cluster_, name_, sql);
}

}  // namespace ps::testing
