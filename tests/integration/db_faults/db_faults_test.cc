// portalsyncd when its PostgreSQL portal database fails: down at the start (it waits, says why in
// /v1/status, /readyz, /metrics and systemd's STATUS=, and syncs once the database answers), a
// wrong password or a missing grant (a refusal, named in one line), and the server restarted
// mid-run and under load (nothing lost, nothing applied twice, the change log verifies). Each test
// stops or restarts the server, so each starts a PostgreSQL cluster of its own.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "store/schema.h"
#include "tests/integration/daemon/api_daemon.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;
using namespace std::chrono;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";

// What both backends' sites share: a slapd, portalsync's configuration, the nodes' logs.
struct Site {
  SlapdServer slapd;
  TempDir dir;
  std::string config = dir.file("portalsync.yaml");
  int starts = 0;

  void write_config(const std::string& database) const {
    write_file(config,
               "portal:\n  database: \"" + database + "\"\ndirectory:\n  url: \"" + slapd.url() +
                   "\"\n  tls: none\n  allow_insecure: true\n  bind_dn: \"" + slapd.admin_dn() +
                   "\"\n  bind_password_file: \"" + slapd.password_file() + "\"\n  base_dn: \"" +
                   kBase + "\"\naudit:\n  key_file: \"" + dir.file("audit.key") +
                   "\"\ndaemon:\n  poll_interval_ms: 100\n  lease_seconds: 5\n" + admin_yaml());
  }
  RunResult portalsync(std::vector<std::string> args) const {
    args.insert(args.begin(), bin("portalsync"));
    args.insert(args.end(), {"-c", config});
    return run(args, "", 300);
  }
  void init() const {
    auto init = portalsync({"db", "init"});
    INFO(init.out << init.err);
    REQUIRE(init.ok());
  }
  std::map<std::string, std::string> directory_names() const {
    std::map<std::string, std::string> out;
    for (const auto& e : slapd.search(kBase, "(uid=*)", {"uid", "displayName"}))
      out[e.first("uid")] = e.first("displayName");
    return out;
  }
};

// username -> displayName from "username|displayName" lines.
std::map<std::string, std::string> parse_names(const std::string& rows) {
  std::map<std::string, std::string> out;
  std::istringstream lines(rows);
  for (std::string line; std::getline(lines, line);)
    out[line.substr(0, line.find('|'))] = line.substr(line.find('|') + 1);
  return out;
}

const std::string kUnits =
    "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'), "
    "(2, 1, 'A02', '教育局'); ";

// A cluster of the test's own, stopped at the end.
struct OwnCluster {
  TempDir dir{"ps-faults-pg"};
  PostgresCluster cluster;
  OwnCluster() {
    chmod(dir.path().c_str(), 0711);  // the postgres user reaches its cluster below it
    cluster = start_postgres(dir.file("cluster"));
  }
  ~OwnCluster() { stop_postgres(cluster); }
};

struct FaultSite : Site {
  OwnCluster server;
  PostgresDatabase db{server.cluster, [](const std::string& owner_url) {
                        REQUIRE_OK(ps::create_interface_tables(owner_url));
                      }};

  explicit FaultSite(int accounts) {
    write_config(db.url());
    init();
    as_portal(kUnits +
              "INSERT INTO accounts(id, username, display_name, org_unit_id, role, status, "
              "last_login_at) SELECT g, 'user' || g, 'v0-' || g, 2, 'user', 'enabled', "
              "'2026-12-01T00:00:00Z' FROM generate_series(1, " +
              std::to_string(accounts) + ") AS g");
  }
  void as_portal(const std::string& sql) const { db.psql("SET ROLE portal_owner; " + sql); }
  // A tenth of the accounts get a new display name, round `round`'s.
  void rename_some(int round) const {
    as_portal("UPDATE accounts SET display_name = 'v" + std::to_string(round) +
              "-' || id WHERE id % 10 = " + std::to_string(round % 10));
  }
  std::string interrupted_runs() const {
    return db.psql("SELECT count(*) FROM portalsync.ps_runs WHERE status = 'interrupted'");
  }
  std::map<std::string, std::string> portal_names() const {
    return parse_names(db.psql("SELECT username || '|' || display_name FROM accounts"));
  }

  // Operations recorded as applied more than once: the same operation on the same entry with the
  // same result in the directory, or one intent given two outcomes (the first few; "" when none).
  // An intent's outcome is a record of its own (operation "outcome", outcome_of its id).
  std::string applied_twice() const {
    return db.psql(
        "SELECT operation || ' ' || dn || ' ' || after_json || ': records ' || string_agg(id || "
        "' (run ' || run_id || ', fence ' || fence || ')', ', ') FROM portalsync.ps_change_log "
        "WHERE result = 'applied' AND outcome_of IS NULL GROUP BY operation, dn, after_json "
        "HAVING count(*) > 1 UNION ALL SELECT 'intent ' || outcome_of || ' has ' || count(*) || "
        "' outcomes' FROM portalsync.ps_change_log WHERE outcome_of IS NOT NULL GROUP BY "
        "outcome_of HAVING count(*) > 1 LIMIT 5");
  }
};

// A MariaDB server of the test's own, stopped at the end.
struct OwnMariadb {
  TempDir dir{"ps-faults-mariadb"};
  MariadbServer server = start_mariadb(dir.file("server"), MariadbLifetime::this_process);
  ~OwnMariadb() { stop_mariadb(server); }
};

struct MariadbSite : Site {
  OwnMariadb own;
  MariadbDatabase db{own.server, [](const std::string& owner_url) {
                       REQUIRE_OK(ps::create_interface_tables(owner_url));
                     }};

  explicit MariadbSite(int accounts) {
    write_config(db.url());
    init();
    db.sql_as("portal_owner",
              kUnits +
                  "INSERT INTO accounts(id, username, display_name, org_unit_id, role, status, "
                  "last_login_at) SELECT seq, concat('user', seq), concat('v0-', seq), 2, 'user', "
                  "'enabled', '2026-12-01T00:00:00Z' FROM seq_1_to_" +
                  std::to_string(accounts));
  }
  std::map<std::string, std::string> portal_names() const {
    return parse_names(db.sql("SELECT concat(username, '|', display_name) FROM accounts"));
  }
  void rename_some(int round) const {
    db.sql_as("portal_owner", "UPDATE accounts SET display_name = concat('v" +
                                  std::to_string(round) +
                                  "-', id) WHERE id % 10 = " + std::to_string(round % 10));
  }
  std::string interrupted_runs() const {
    return db.sql("SELECT count(*) FROM " + own_tables() + ".ps_runs WHERE status = 'interrupted'");
  }
  // As FaultSite::applied_twice, in MariaDB's SQL.
  std::string applied_twice() const {
    auto log = own_tables() + ".ps_change_log";
    return db.sql(
        "SELECT concat(operation, ' ', dn, ' ', coalesce(after_json, ''), ': records ', "
        "group_concat(id)) FROM " +
        log +
        " WHERE result = 'applied' AND outcome_of IS NULL GROUP BY operation, dn, after_json "
        "HAVING count(*) > 1 UNION ALL SELECT concat('intent ', outcome_of, ' has ', count(*), "
        "' outcomes') FROM " +
        log + " WHERE outcome_of IS NOT NULL GROUP BY outcome_of HAVING count(*) > 1 LIMIT 5");
  }
  // portalsync's own database beside the portal's (docs/portal-schema.md).
  std::string own_tables() const { return db.name() + "_portalsync"; }
};

// A portalsyncd. With `notify`, what it tells systemd is read in `notify` (a test that never
// reads it must not pass it: sd_notify blocks on a full socket, as systemd never lets it be).
enum class Notify { none, read };

struct Node {
  NotifySocket notify;  // bound before the daemon starts
  DaemonProcess daemon;

  explicit Node(Site& site, Notify with = Notify::none)
      : notify(site.dir.file("notify-" + std::to_string(site.starts) + ".sock")),
        daemon(site.config, site.dir.file("node-" + std::to_string(++site.starts) + ".log"),
               with == Notify::read
                   ? std::map<std::string, std::string>{{"NOTIFY_SOCKET", notify.path()}}
                   : std::map<std::string, std::string>{}) {}
  std::string log() const { return daemon.log(); }
  bool active() const { return daemon.active(); }
  Http get(const std::string& path) const { return daemon.get(path); }
  std::string status() const { return get("/v1/status").body; }
  bool alive() const { return kill(daemon.pid, 0) == 0; }
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The value of "key":N in a JSON text (the first one), or -1.
long long json_number(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  return at == std::string::npos ? -1 : std::atoll(json.c_str() + at + key.size() + 3);
}

// The passwords of the cluster's passfile (host:port:db:user:password per line): none may show.
std::vector<std::string> passwords(const PostgresCluster& cluster) {
  std::vector<std::string> out;
  std::istringstream lines(read_text(cluster.passfile()));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.push_back(line.substr(line.rfind(':') + 1));
  return out;
}

}  // namespace

TEST_CASE("database faults: started while PostgreSQL is down, portalsyncd waits and says why",
          "[db_faults][postgresql]") {
  FaultSite site(40);
  stop_postgres(site.server.cluster);
  Node node(site, Notify::read);
  INFO(node.log());

  // systemd hears that the service is up and what it waits for.
  REQUIRE(node.notify.wait_for("READY=1", seconds(10)));
  REQUIRE(node.notify.wait_for("STATUS=waiting: the portal database does not answer", seconds(10)));
  // It retries with backoff (1 s, then 2 s, ...): the third attempt comes within ~4 s.
  REQUIRE(wait_until([&] { return json_number(node.status(), "attempts") >= 3; }, seconds(20)));
  auto status = node.status();
  CHECK_THAT(status, Catch::Contains(R"("state":"waiting")"));
  CHECK_THAT(status, Catch::Contains(R"("portal_database":{"state":"unavailable")"));
  CHECK_THAT(status, Catch::Contains("portal database postgresql://host=127.0.0.1 port=" +
                                     std::to_string(site.server.cluster.port)));
  CHECK_THAT(status, Catch::Contains("Connection refused; Is the server running"));
  auto database = status.substr(status.find(R"("portal_database")"));
  CHECK_THAT(database.substr(0, database.find('}')), Catch::Contains(R"("next_retry_at":"20)"));
  CHECK(node.get("/healthz").status == 200);
  auto ready = node.get("/readyz");
  CHECK(ready.status == 503);
  CHECK_THAT(ready.body, Catch::Contains("portal_database_unavailable"));
  CHECK_THAT(node.get("/metrics").body, Catch::Contains("portalsync_portal_database_up 0"));
  // An endpoint that reads the database says so instead of failing.
  auto runs = node.get("/v1/runs");
  CHECK(runs.status == 503);
  CHECK_THAT(runs.body, Catch::Contains("portal_database_unavailable"));
  // One log line for the outage, not one per attempt; never a password.
  CHECK(count_of(node.log(), "portalsyncd waits for the database") == 1);
  for (const auto& password : passwords(site.server.cluster)) {
    CHECK_THAT(node.log(), !Catch::Contains(password));
    CHECK_THAT(status, !Catch::Contains(password));
  }

  // The database comes up: the node becomes active and syncs everything.
  start_stopped_postgres(site.server.cluster);
  auto up_at = steady_clock::now();
  REQUIRE(wait_until([&] { return node.active(); }, seconds(90)));
  REQUIRE(wait_until([&] { return site.directory_names() == site.portal_names(); }, kRunWait));
  WARN("active and in sync " << duration_cast<milliseconds>(steady_clock::now() - up_at).count()
                             << " ms after the database came up");
  REQUIRE(wait_until([&] { return node.get("/readyz").status == 200; }, kRunWait));
  CHECK_THAT(node.status(), Catch::Contains(R"("portal_database":{"state":"available")"));
  CHECK_THAT(node.get("/metrics").body, Catch::Contains("portalsync_portal_database_up 1"));
  CHECK(node.get("/v1/runs").status == 200);
  CHECK_THAT(node.log(), Catch::Contains("answers after"));
}

TEST_CASE("database faults: a wrong password and a missing grant are refusals named in one line",
          "[db_faults][postgresql]") {
  FaultSite site(10);
  SECTION("a wrong password: refused, retried slowly") {
    auto wrong = site.dir.file("wrong-passfile");
    auto text = read_text(site.server.cluster.passfile());
    auto line = text.find(":portalsync:");
    text.replace(line + 12, text.find('\n', line) - line - 12, "not-the-password");
    write_file(wrong, text, 0600);
    auto url = site.db.url();
    site.write_config(url.replace(url.find("passfile=") + 9, std::string::npos, wrong));
    Node node(site, Notify::read);
    INFO(node.log());
    REQUIRE(wait_until([&] { return json_number(node.status(), "attempts") >= 1; }, seconds(20)));
    auto status = node.status();
    CHECK_THAT(status, Catch::Contains(R"("portal_database":{"state":"refused")"));
    CHECK_THAT(status, Catch::Contains("password authentication failed for user"));
    CHECK_THAT(status, Catch::Contains("check the account and its password"));
    CHECK(node.get("/readyz").status == 503);
    REQUIRE(node.notify.wait_for("STATUS=waiting: the portal database refuses portalsync",
                                 seconds(10)));
    CHECK(count_of(node.log(), "password authentication failed") == 1);
    CHECK_THAT(node.log(), Catch::Contains("the database refuses portalsync"));
    CHECK_THAT(node.log(), !Catch::Contains("not-the-password"));
  }
  SECTION("a missing grant: the run fails naming the table and the grant") {
    site.as_portal("REVOKE SELECT ON systems FROM portalsync");
    Node node(site);
    INFO(node.log());
    REQUIRE(wait_until([&] { return node.active(); }, seconds(20)));
    REQUIRE(wait_until(
        [&] { return node.log().find("permission denied for table systems") != std::string::npos; },
        kRunWait));
    CHECK_THAT(node.log(), Catch::Contains("portalsync's account lacks a grant"));
    auto status = node.status();
    CHECK_THAT(status, Catch::Contains("permission denied for table systems"));
    CHECK(node.get("/readyz").status == 503);
    // The grant given back, the next retry syncs.
    site.as_portal("GRANT SELECT ON systems TO portalsync");
    REQUIRE(wait_until([&] { return site.directory_names() == site.portal_names(); }, kRunWait));
  }
}

namespace {

// The restart story on either server: `restart` stops the server and starts it again, as
// `systemctl restart` would.
template <class S>
void restart_mid_run_and_under_load(S& site, const std::function<void()>& restart) {
  constexpr int kAccounts = 600;
  Node node(site);
  INFO(node.log());
  REQUIRE(wait_until([&] { return node.active(); }, seconds(20)));

  // Mid-run: the first full run is adding the accounts.
  REQUIRE(wait_until([&] { return !site.directory_names().empty(); }, kRunWait));
  auto first_count = site.directory_names().size();
  restart();
  WARN("restarted the server with " << first_count << " of " << kAccounts
                                    << " accounts in the directory");

  // Under load: the portal keeps changing accounts while the server restarts twice more. A write
  // the restart cut off is written again (the portal would retry it too).
  std::atomic<int> written{0};
  std::thread portal([&] {
    for (int round = 1; round <= 30; ++round) {
      for (int attempt = 0; attempt < 200; ++attempt) {
        try {
          site.rename_some(round);
          break;
        } catch (const std::exception&) {
          std::this_thread::sleep_for(milliseconds(100));
        }
      }
      ++written;
    }
  });
  for (int at : {10, 20}) {
    wait_until([&] { return written >= at; }, seconds(60));
    restart();
  }
  portal.join();

  auto settled =
      wait_until([&] { return site.directory_names() == site.portal_names(); }, seconds(60));
  if (!settled) FAIL("the directory did not catch up\n" << node.status() << "\n" << node.log());
  WARN("the directory equalled the portal " << settled->count() << " ms after the last write");
  CHECK(node.alive());
  CHECK_THAT(node.log(), Catch::Contains("lost the leader lease"));
  auto verify = site.portalsync({"audit", "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.ok());
  CHECK(site.applied_twice() == "");
  // The runs the restarts cut off are not recorded as done (the next run marks them interrupted).
  WARN("runs cut off: " << site.interrupted_runs());
  // Ready again on its own. Right after the last restart the node may still be proving its lease
  // or its database (CI once saw 503 at the moment the directory caught up).
  auto ready = wait_until([&] { return node.get("/readyz").status == 200; }, seconds(15));
  INFO(node.get("/readyz").body << "\n" << node.status());
  CHECK(ready);
}

}  // namespace

TEST_CASE("database faults: the server restarted mid-run and under load loses and repeats nothing",
          "[db_faults][postgresql]") {
  FaultSite site(600);
  restart_mid_run_and_under_load(site, [&] { restart_postgres(site.server.cluster); });
}

TEST_CASE("database faults: MariaDB restarted mid-run and under load loses and repeats nothing",
          "[db_faults][mariadb]") {
  MariadbSite site(600);
  restart_mid_run_and_under_load(site, [&] {
    stop_mariadb(site.own.server);
    start_stopped_mariadb(site.own.server);
  });
}

TEST_CASE("database faults: MariaDB refusing a wrong password, then down at the start",
          "[db_faults][mariadb]") {
  MariadbSite site(20);
  auto good = site.db.url();
  {
    auto wrong = site.dir.file("wrong.cnf");
    write_file(wrong, "[client]\nuser=portalsync\npassword=not-the-password\n", 0600);
    auto url = good;
    site.write_config(url.replace(url.find("option_file=") + 12, std::string::npos, wrong));
    Node node(site);
    INFO(node.log());
    REQUIRE(wait_until([&] { return json_number(node.status(), "attempts") >= 1; }, seconds(20)));
    auto status = node.status();
    CHECK_THAT(status, Catch::Contains(R"("portal_database":{"state":"refused")"));
    CHECK_THAT(status, Catch::Contains("Access denied for user 'portalsync'"));
    CHECK_THAT(status, Catch::Contains("check the account and its password"));
    CHECK(count_of(node.log(), "Access denied for user") == 1);
    CHECK_THAT(node.log(), !Catch::Contains("not-the-password"));
  }
  site.write_config(good);
  stop_mariadb(site.own.server);
  Node node(site, Notify::read);
  INFO(node.log());
  REQUIRE(node.notify.wait_for("STATUS=waiting: the portal database does not answer", seconds(10)));
  REQUIRE(wait_until([&] { return json_number(node.status(), "attempts") >= 2; }, seconds(20)));
  CHECK_THAT(node.status(), Catch::Contains(R"("portal_database":{"state":"unavailable")"));
  CHECK(node.get("/readyz").status == 503);
  start_stopped_mariadb(site.own.server);
  if (!wait_until([&] { return node.active(); }, seconds(30)))
    FAIL("not active\n" << node.status() << "\n" << node.log());
  REQUIRE(wait_until([&] { return site.directory_names() == site.portal_names(); }, kRunWait));
  REQUIRE(wait_until([&] { return node.get("/readyz").status == 200; }, kRunWait));
}
