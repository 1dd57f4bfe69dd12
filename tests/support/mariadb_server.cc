#include "tests/support/mariadb_server.h"
#include "tests/support/build_paths.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/server_setup.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

namespace ps::testing {

namespace {

// Small and unsafe on purpose: a test server holds nothing worth a flush.
const std::vector<std::string> kServerOptions = {
    "--no-defaults",
    "--user=root",
    "--skip-name-resolve",
    "--skip-log-bin",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--innodb-log-file-size=4M",
    "--innodb-buffer-pool-size=32M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-flush-method=nosync",
};

// A SQL string literal.
std::string literal(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

// An option file's quoted value.
std::string option_value(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

bool is_ready(const MariadbServer& s) {
  return run({"mariadb-admin", "--no-defaults", "-S", s.socket(), "-u", "root", "ping"}, "", 10)
      .ok();
}

// The system tables of a new server, made once per build directory and copied from then on.
std::string install_template() {
  auto templ = ps::testing::build_dir() + "/mariadb/template";
  if (fs::exists(templ + "/mysql")) return templ;
  auto building = templ + ".tmp-" + std::to_string(getpid());
  fs::remove_all(building);
  std::vector<std::string> argv = {"mariadb-install-db", "--datadir=" + building,
                                   "--auth-root-authentication-method=socket", "--skip-test-db"};
  argv.insert(argv.begin() + 1, kServerOptions.begin(), kServerOptions.end());
  require_success(run(argv, "", 300), "mariadb-install-db");
  std::error_code ec;
  fs::rename(building, templ, ec);  // another process may have won: its template is as good
  if (ec) fs::remove_all(building);
  return templ;
}

void wait_ready(const MariadbServer& s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!is_ready(s)) {
    if (std::chrono::steady_clock::now() > deadline || kill(s.pid, 0) != 0)
      throw std::runtime_error("mariadbd did not start: " + read_file(s.dir + "/server.log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// mariadbd on the server's data directory, port and socket.
void launch(MariadbServer& s, MariadbLifetime lifetime) {
  std::vector<std::string> argv = {"mariadbd"};
  argv.insert(argv.end(), kServerOptions.begin(), kServerOptions.end());
  argv.insert(argv.end(), {"--datadir=" + s.dir + "/data", "--socket=" + s.socket(),
                           "--port=" + std::to_string(s.port), "--bind-address=127.0.0.1",
                           "--pid-file=" + s.dir + "/mariadbd.pid"});
  auto log = s.dir + "/server.log";
  s.pid = lifetime == MariadbLifetime::detached ? spawn_detached(argv, log) : spawn(argv, log);
  wait_ready(s);
}

void create_accounts(const MariadbServer& s) {
  auto owner = random_hex(24);
  auto portalsync = "p'a\\ss w#rd-" + random_hex(16);
  mariadb_sql(s, "mysql",
              "CREATE USER 'portal_owner'@'%' IDENTIFIED BY " + literal(owner) +
                  "; CREATE USER 'portalsync'@'%' IDENTIFIED BY " + literal(portalsync) + ";");
  write_file(s.option_file("portal_owner"), "[client]\nuser=portal_owner\npassword=" + owner + "\n",
             0600);
  write_file(s.option_file("portalsync"),
             "# portalsync's account\n[client]\nuser = portalsync\npassword = " +
                 option_value(portalsync) + "\n",
             0600);
}

// The fixture's server, or one of our own (then `own` holds its files and it stops at exit).
struct SharedServer {
  MariadbServer server;
  std::unique_ptr<TempDir> own;
  ~SharedServer() {
    if (own) stop_mariadb(server);
  }
};

SharedServer find_or_start() {
  if (auto running = read_mariadb_state()) return SharedServer{*running, nullptr};
  auto dir = std::make_unique<TempDir>("ps-mariadb");
  return SharedServer{start_mariadb(dir->file("server"), MariadbLifetime::this_process),
                      std::move(dir)};
}

}  // namespace

MariadbServer start_mariadb(const std::string& dir, MariadbLifetime lifetime) {
  auto templ = install_template();
  MariadbServer s{dir, free_loopback_port(), 0};
  fs::create_directories(dir);
  fs::copy(templ, dir + "/data", fs::copy_options::recursive);
  launch(s, lifetime);
  create_accounts(s);
  return s;
}

void start_stopped_mariadb(MariadbServer& s) { launch(s, MariadbLifetime::this_process); }

void stop_mariadb(const MariadbServer& s) {
  if (s.pid <= 0) return;
  if (!has_exited(s.pid)) {
    stop(s.pid, SIGTERM);  // our child
    return;
  }
  stop_process_group(s.pid);  // the fixture's, started by another process
}

std::string mariadb_state_file() {
  const char* path = std::getenv("PS_MARIADB_STATE");
  return path ? path : ps::testing::build_dir() + "/mariadb/state";
}

void write_mariadb_state(const MariadbServer& s) {
  fs::create_directories(fs::path(mariadb_state_file()).parent_path());
  write_file(mariadb_state_file(),
             s.dir + "\n" + std::to_string(s.port) + "\n" + std::to_string(s.pid) + "\n", 0600);
}

std::string read_mariadb_state_dir() {
  std::error_code ec;
  if (!fs::exists(mariadb_state_file(), ec)) return "";
  auto text = read_file(mariadb_state_file());
  return text.substr(0, text.find('\n'));
}

std::optional<MariadbServer> read_mariadb_state() {
  std::error_code ec;
  if (!fs::exists(mariadb_state_file(), ec)) return std::nullopt;
  static const std::regex lines("([^\n]+)\n([0-9]+)\n([0-9]+)\n");
  std::smatch m;
  auto text = read_file(mariadb_state_file());
  if (!std::regex_match(text, m, lines)) return std::nullopt;
  MariadbServer s{m[1].str(), std::stoi(m[2].str()), static_cast<pid_t>(std::stol(m[3].str()))};
  if (!is_ready(s)) return std::nullopt;
  return s;
}

const MariadbServer& shared_mariadb() {
  static SharedServer shared = find_or_start();
  return shared.server;
}

std::string mariadb_sql(const MariadbServer& s, const std::string& database,
                        const std::string& sql) {
  auto r = run(
      {"mariadb", "--no-defaults", "-S", s.socket(), "-u", "root", "-N", "-B", "-e", sql, database},
      "", 60);
  require_success(r, "mariadb " + sql.substr(0, 80));
  return r.out;
}

std::string documented_mariadb_grants(const std::string& name) {
  auto sql = documented_sql("mariadb-grants");
  // In a GRANT's database name '_' matches any character unless escaped.
  auto own = std::regex_replace(name + "_portalsync", std::regex("_"), "\\_");
  sql = std::regex_replace(sql, std::regex("`portal\\\\_portalsync`"), "`" + own + "`");
  return std::regex_replace(sql, std::regex("`portal`"), "`" + name + "`");
}

MariadbDatabase::MariadbDatabase(
    const std::function<void(const std::string& owner_url)>& create_interface_tables)
    : MariadbDatabase(shared_mariadb(), create_interface_tables) {}

MariadbDatabase::MariadbDatabase(
    const MariadbServer& server,
    const std::function<void(const std::string& owner_url)>& create_interface_tables)
    : server_(server) {
  static std::atomic<int> counter{0};
  name_ = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  mariadb_sql(server_, "mysql",
              "CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; " +
                  "GRANT ALL ON " + name_ + ".* TO 'portal_owner'@'%';");
  create_interface_tables(url("portal_owner"));
  sql(documented_mariadb_grants(name_));
}

MariadbDatabase::~MariadbDatabase() {
  try {
    mariadb_sql(
        server_, "mysql",
        "DROP DATABASE IF EXISTS " + name_ + "; DROP DATABASE IF EXISTS " + name_ + "_portalsync;");
  } catch (const std::exception&) {
    // The server goes with the run; a database left behind costs nothing.
  }
}

std::string MariadbDatabase::url(const std::string& account) const {
  if (account == "root")
    return "mysql://db=" + name_ + " unix_socket=" + server_.socket() + " user=root";
  return "mysql://db=" + name_ + " host=127.0.0.1 port=" + std::to_string(server_.port) +
         " option_file=" + server_.option_file(account);
}

std::string MariadbDatabase::sql(const std::string& statements) const {
  return mariadb_sql(server_, name_, statements);
}

std::string MariadbDatabase::sql_as(const std::string& account,
                                    const std::string& statements) const {
  auto r = run({"mariadb", "--defaults-file=" + server_.option_file(account), "-h", "127.0.0.1",
                "-P", std::to_string(server_.port), "-N", "-B", "-e", statements, name_},
               "", 60);
  require_success(r, "mariadb as " + account + ": " + statements.substr(0, 80));
  return r.out;
}

}  // namespace ps::testing
