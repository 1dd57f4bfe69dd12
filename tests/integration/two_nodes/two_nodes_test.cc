// Two portalsyncd nodes on one PostgreSQL portal database, the same configuration file on both:
// one active, one standby; the active one killed -9 mid-sync again and again, or cut off from the
// database; the directory (read back with ldapsearch) ends equal to the portal and the change log
// verifies. On SQLite a second node is refused.
#include <catch2/catch.hpp>
#include <csignal>

#include "store/schema.h"
#include "tests/integration/daemon/api_daemon.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;
using namespace std::chrono;

namespace {

const std::string kBase = "ou=portal,dc=example,dc=org";
constexpr int kAccounts = 150;

// A small portal on PostgreSQL, portalsync's configuration for it, and the nodes started on it.
struct TwoNodeSite {
  PostgresDatabase db{
      [](const std::string& owner_url) { REQUIRE_OK(ps::create_interface_tables(owner_url)); }};
  SlapdServer slapd;
  TempDir dir;
  std::string config = dir.file("portalsync.yaml");
  int starts = 0;

  TwoNodeSite() {
    write_file(config,
               "portal:\n  database: \"" + db.url() + "\"\ndirectory:\n  url: \"" + slapd.url() +
                   "\"\n  tls: none\n  allow_insecure: true\n  bind_dn: \"" + slapd.admin_dn() +
                   "\"\n  bind_password_file: \"" + slapd.password_file() + "\"\n  base_dn: \"" +
                   kBase + "\"\naudit:\n  key_file: \"" + dir.file("audit.key") +
                   "\"\ndaemon:\n  poll_interval_ms: 100\n  lease_seconds: 6\n" + admin_yaml());
    auto init = portalsync({"db", "init"});
    INFO(init.out << init.err);
    REQUIRE(init.ok());
    as_portal(
        "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'), "
        "(2, 1, 'A02', '教育局'); INSERT INTO accounts(id, username, display_name, org_unit_id, "
        "role, status, last_login_at) SELECT g, 'user' || g, 'r0-' || g, 2, 'user', 'enabled', "
        "'2026-12-01T00:00:00Z' FROM generate_series(1, " +
        std::to_string(kAccounts) + ") AS g");
  }

  RunResult portalsync(std::vector<std::string> args) const {
    args.insert(args.begin(), bin("portalsync"));
    args.insert(args.end(), {"-c", config});
    return run(args, "", 300);
  }
  void as_portal(const std::string& sql) const { db.psql("SET ROLE portal_owner; " + sql); }

  // Entries whose displayName starts with `prefix`.
  std::size_t directory_count(const std::string& prefix) const {
    return slapd.search(kBase, "(displayName=" + prefix + "*)", {"uid"}).size();
  }
};

struct Node : DaemonProcess {
  explicit Node(TwoNodeSite& site)
      : DaemonProcess(site.config,
                      site.dir.file("node-" + std::to_string(++site.starts) + ".log")) {}
  void kill9() {
    stop(pid, SIGKILL);
    pid = -1;
  }
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool standby(const Node& n) {
  return n.get("/v1/status").body.find(R"("role":"standby")") != std::string::npos;
}

// The change log's fencing numbers never go down along the chain: no record of an older active
// node comes after a newer one's.
std::string fences_out_of_order(const PostgresDatabase& db) {
  return db.psql(
      "SELECT count(*) FROM portalsync.ps_change_log a JOIN portalsync.ps_change_log b "
      "ON b.id > a.id AND b.fence < a.fence");
}

}  // namespace

TEST_CASE("two nodes: the active one killed -9 mid-sync ten times, the standby carries on",
          "[two_nodes][postgresql]") {
  TwoNodeSite site;
  auto first = std::make_unique<Node>(site);
  REQUIRE(wait_until([&] { return first->active(); }, seconds(10)));
  REQUIRE(wait_until([&] { return site.directory_count("r0-") == kAccounts; }, kRunWait));
  auto second = std::make_unique<Node>(site);

  // The standby answers as standby, and names the active node.
  if (!wait_until([&] { return standby(*second); }, seconds(10)))
    FAIL("the second node is not standby\n" << first->log() << second->log());
  auto status = second->get("/v1/status").body;
  CHECK_THAT(status, Catch::Contains(R"("state":"standby")"));
  CHECK_THAT(status, Catch::Contains(" pid " + std::to_string(first->pid)));
  CHECK(second->get("/healthz").status == 200);
  auto ready = second->get("/readyz");
  CHECK(ready.status == 503);
  CHECK_THAT(ready.body, Catch::Contains("standby"));
  CHECK_THAT(second->get("/metrics").body, Catch::Contains("portalsync_node_active 0"));
  CHECK_THAT(first->get("/metrics").body, Catch::Contains("portalsync_node_active 1"));
  CHECK(first->get("/readyz").status == 200);

  milliseconds slowest{0};
  int mid_run = 0;
  for (int round = 1; round <= 10; ++round) {
    auto prefix = "r" + std::to_string(round) + "-";
    auto runs_before = count_of(first->log(), "sync starting (portal changed)");
    site.as_portal("UPDATE accounts SET display_name = '" + prefix + "' || id");
    // Killed as soon as the run for it started (odd rounds), or as soon as its first change
    // reached the directory (even rounds): mid-run, or just after.
    REQUIRE(wait_until(
        [&] {
          return round % 2 ? count_of(first->log(), "sync starting (portal changed)") > runs_before
                           : site.directory_count(prefix) > 0;
        },
        kRunWait));
    auto killed_at = steady_clock::now();
    first->kill9();
    if (site.directory_count(prefix) < kAccounts) ++mid_run;
    INFO("round " << round << "\n" << second->log());
    REQUIRE(wait_until([&] { return second->active(); }, seconds(15)));
    slowest = std::max(slowest, duration_cast<milliseconds>(steady_clock::now() - killed_at));
    // The killed node comes back (systemd would restart it) and waits as standby.
    first = std::make_unique<Node>(site);
    REQUIRE(wait_until([&] { return standby(*first); }, seconds(10)));
    std::swap(first, second);
  }
  WARN("slowest takeover " << slowest.count() << " ms; killed before the run's changes were all in "
                           << "the directory " << mid_run << " of 10 times");
  CHECK(slowest < seconds(15));

  REQUIRE(wait_until([&] { return site.directory_count("r10-") == kAccounts; }, kRunWait));
  REQUIRE(wait_until(
      [&] {
        return site.portalsync({"plan", "--json"}).out.find(R"("operations":[])") !=
               std::string::npos;
      },
      kRunWait));
  auto verify = site.portalsync({"audit", "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.ok());
  CHECK(fences_out_of_order(site.db) == "0\n");
  // Eleven starts claimed the lease: the first node, then each node that took over.
  CHECK(site.db.psql("SELECT fence FROM portalsync.ps_leadership") == "11\n");
}

TEST_CASE("two nodes: the active node cut off from the database stops within its lease",
          "[two_nodes][postgresql]") {
  TwoNodeSite site;
  Node a(site);
  REQUIRE(wait_until([&] { return a.active(); }, seconds(10)));
  Node b(site);
  REQUIRE(wait_until([&] { return standby(b); }, seconds(10)));
  INFO(a.log() << b.log());

  // The database ends the session that holds the lease (the lock "psleader": classid 'psle',
  // objid 'ader'), as it does for a client it no longer hears from. Only this test's database:
  // the cluster is shared, and the failover test's nodes hold the same lock in theirs.
  site.db.psql(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
      "classid = 1886612581 AND objid = 1633969522 AND granted AND database = (SELECT oid FROM "
      "pg_database WHERE datname = current_database())");
  auto cut_at = steady_clock::now();
  auto stopped = wait_until(
      [&] { return a.log().find("this node is standby now") != std::string::npos; }, seconds(6));
  REQUIRE(stopped);
  WARN("the cut-off node stood down after " << stopped->count() << " ms (lease 6 s)");
  REQUIRE(wait_until([&] { return b.active(); }, seconds(15)));
  WARN("the standby took over " << duration_cast<milliseconds>(steady_clock::now() - cut_at).count()
                                << " ms after the cut");
  CHECK(standby(a));
  CHECK(a.get("/readyz").status == 503);

  site.as_portal("UPDATE accounts SET display_name = 'after-' || id");
  REQUIRE(wait_until([&] { return site.directory_count("after-") == kAccounts; }, kRunWait));
  auto verify = site.portalsync({"audit", "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.ok());
  CHECK(fences_out_of_order(site.db) == "0\n");
  // Only b wrote after the cut: a's last record comes before b's claim.
  CHECK(site.db.psql("SELECT count(DISTINCT fence) FROM portalsync.ps_change_log WHERE id > "
                     "(SELECT min(id) FROM portalsync.ps_change_log WHERE fence = 2)") == "1\n");
}

TEST_CASE("two nodes: on SQLite a second portalsyncd is refused, naming the active one",
          "[two_nodes]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, kAdminOnAnyPort);
  portal.seed_small_tree();
  auto first_log = portal.dir().file("first.log");
  auto first = spawn({bin("portalsyncd"), "-c", portal.config()}, first_log);
  REQUIRE(wait_until(
      [&] { return read_text(first_log).find("is the active one") != std::string::npos; },
      seconds(10)));
  auto second = run({bin("portalsyncd"), "-c", portal.config()}, "", 30);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err,
             Catch::Contains("another portalsyncd is active on SQLite portal database"));
  CHECK_THAT(second.err, Catch::Contains("pid " + std::to_string(first)));
  CHECK_THAT(second.err, Catch::Contains("PostgreSQL"));
  CHECK(stop(first, SIGTERM) == 0);
}
