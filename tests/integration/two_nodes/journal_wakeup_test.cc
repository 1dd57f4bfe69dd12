// Sub-second wake-ups on PostgreSQL: the journal triggers NOTIFY, portalsyncd LISTENs (as the
// least-privilege role) and a portal write reaches slapd long before the journal poll would have
// looked; its LISTEN session terminated by the server, it falls back to the poll, listens again,
// and a write made meanwhile is not lost. `db init` on an existing database gives the trigger
// function its NOTIFY.
#include <catch2/catch.hpp>
#include <csignal>
#include <functional>
#include <utility>

#include "store/schema.h"
#include "tests/integration/daemon/api_daemon.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;
using namespace std::chrono;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";

// The trigger function's NOTIFY, as the database holds it.
bool function_notifies(const PostgresDatabase& db) {
  return db.psql(
               "SELECT prosrc FROM pg_proc WHERE oid = "
               "to_regprocedure('portalsync.ps_journal_row()')")
             .find("pg_notify('portalsync_journal'") != std::string::npos;
}

// Ends the daemon's LISTEN session, in this test's database only (the cluster is shared).
std::string terminate_listener(const PostgresDatabase& db) {
  return db.psql(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = "
      "'portalsyncd listen' AND datname = current_database()");
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

struct Daemon {
  pid_t pid;
  ~Daemon() {
    if (pid > 0) stop(pid, SIGTERM);
  }
};

}  // namespace

TEST_CASE("wake-ups: a PostgreSQL commit reaches the directory long before the journal poll",
          "[postgresql][wakeup]") {
  PostgresDatabase db(
      [](const std::string& owner_url) { REQUIRE_OK(ps::create_interface_tables(owner_url)); });
  SlapdServer slapd;
  TempDir dir;
  auto config = dir.file("portalsync.yaml");
  // A 30 s poll: only a notification can bring a change within seconds.
  write_file(config, "portal:\n  database: \"" + db.url() + "\"\ndirectory:\n  url: \"" +
                         slapd.url() + "\"\n  tls: none\n  allow_insecure: true\n  bind_dn: \"" +
                         slapd.admin_dn() + "\"\n  bind_password_file: \"" + slapd.password_file() +
                         "\"\n  base_dn: \"" + kBase + "\"\ndaemon:\n  poll_interval_ms: 30000\n" +
                         admin_yaml());
  auto portalsync = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {bin("portalsync")};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"-c", config});
    return run(argv, "", 120);
  };
  auto as_portal = [&](const std::string& sql) { db.psql("SET ROLE portal_owner; " + sql); };
  auto display_name = [&](const std::string& uid) {
    auto found = slapd.search(kBase, "(uid=" + uid + ")", {"displayName"});
    return found.empty() ? std::string() : found.front().first("displayName");
  };

  REQUIRE(portalsync({"db", "init"}).ok());
  // A database initialised before the NOTIFY existed: the next `db init` replaces its trigger
  // function, with no schema version change.
  db.psql(
      "DO $$ DECLARE d text; BEGIN "
      "d = pg_get_functiondef(to_regprocedure('portalsync.ps_journal_row()')); "
      "EXECUTE replace(d, 'PERFORM pg_notify(''portalsync_journal'', '''');', ''); END $$");
  REQUIRE_FALSE(function_notifies(db));
  auto again = portalsync({"db", "init"});
  INFO(again.out << again.err);
  REQUIRE(again.ok());
  CHECK(function_notifies(db));
  CHECK(db.psql("SELECT max(version) FROM portalsync.ps_schema_version") ==
        std::to_string(ps::kSchemaVersion) + "\n");

  as_portal(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'); "
      "INSERT INTO accounts(id, username, display_name, org_unit_id, role, status, last_login_at) "
      "SELECT g, 'user' || g, 'first-' || g, 1, 'user', 'enabled', '2026-12-01T00:00:00Z' FROM "
      "generate_series(1, 20) AS g");
  auto log_path = dir.file("daemon.log");
  Daemon daemon{spawn({bin("portalsyncd"), "-c", config}, log_path)};
  auto log = [&] { return read_text(log_path); };
  // How long `probe` took to hold; fails the test with the daemon's log when it did not.
  auto within = [&](const std::function<bool()>& probe, seconds limit) {
    auto took = wait_until(probe, limit);
    if (!took) FAIL("not within " << limit.count() << " s; the daemon's log:\n" << log());
    return *took;
  };
  within([&] { return display_name("user20") == "first-20"; }, kRunWait);
  within([&] { return log().find("listening for the portal's commits") != std::string::npos; },
         seconds(10));
  auto url = wait_for_admin_url(log_path);
  CHECK_THAT(call_api(url, "GET", "/v1/status").body,
             Catch::Contains(R"("journal_wakeup":"listening")"));

  // Each commit wakes the daemon: three in a row, each timed.
  milliseconds slowest{0};
  for (int i = 1; i <= 3; ++i) {
    auto value = "notified-" + std::to_string(i);
    as_portal("UPDATE accounts SET display_name = '" + value + "' WHERE id = 7");
    slowest =
        std::max(slowest, within([&] { return display_name("user7") == value; }, seconds(10)));
  }
  WARN("slowest change -> directory with LISTEN: " << slowest.count() << " ms (poll: 30 s)");

  // The server ends the LISTEN session; a write lands while the daemon reconnects.
  REQUIRE(terminate_listener(db) == "1\n");
  as_portal("UPDATE accounts SET display_name = 'while-reconnecting' WHERE id = 8");
  within([&] { return log().find("the LISTEN session ended") != std::string::npos; }, seconds(10));
  CHECK_THAT(log(), Catch::Contains("polled every 30000 ms until listening again"));
  within([&] { return count_of(log(), "listening for the portal's commits") == 2; }, seconds(15));
  within([&] { return display_name("user8") == "while-reconnecting"; }, seconds(10));
  as_portal("UPDATE accounts SET display_name = 'after-reconnect' WHERE id = 9");
  within([&] { return display_name("user9") == "after-reconnect"; }, seconds(10));
  CHECK_THAT(call_api(url, "GET", "/v1/status").body,
             Catch::Contains(R"("journal_wakeup":"listening")"));
  CHECK(stop(std::exchange(daemon.pid, -1), SIGTERM) == 0);
}
