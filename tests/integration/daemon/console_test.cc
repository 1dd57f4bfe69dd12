// The operator console at /ui/: its security headers with curl, then a walk through every page in
// headless Chromium (tests/browser/walk_console.py): values match the API, a hold is approved and
// the next run goes through, a reservation is cancelled, hostile names stay text, and an agency's
// token sees only its agency. Screenshots land in the build directory (console-screenshots/).
#include <catch2/catch.hpp>
#include <filesystem>

#include "api_daemon.h"
#include "tests/support/build_paths.h"

using namespace ps::testing;
using namespace std::chrono;
using Catch::Matchers::Contains;

namespace {

const std::string kAdmin = "console-admin-3e9a71c0", kAgency = "console-agency-b5d2046f";

std::string console_yaml() {
  return "  groups_dn: \"ou=groups,ou=portal,dc=example,dc=org\"\n"
         "admin:\n  listen: \"127.0.0.1:0\"\n  tokens:\n    - name: console-admin\n      role: "
         "admin\n      sha256: " +
         sha256_hex(kAdmin) +
         "\n    - name: agency-a02\n      role: account_admin\n      units: [A02]\n      "
         "sha256: " +
         sha256_hex(kAgency) + "\nsync:\n  max_disables: 2\n";
}

std::string head_of(const ApiDaemon& d, const std::string& path) {
  return run({"curl", "-s", "-D", "-", "-o", "/dev/null", d.url + path}, "", 30).out;
}

std::string schedule(const std::string& username, const std::string& reason) {
  return R"({"username":")" + username +
         R"(","kind":"enable","at":"2031-01-01T08:00:00+08:00","reason":)" + reason + "}";
}

// Waits for the mass-change guard to hold a run.
void wait_for_hold(const ApiDaemon& d) {
  INFO(read_text(d.log_path));
  REQUIRE(wait_until(
      [&] {
        return d.call("GET", "/v1/approvals", kAdmin).body.find("\"held\"") != std::string::npos;
      },
      kRunWait));
}

// tests/browser/walk_console.py with `args`, its time reported; fails the test with its output.
void walk_console(std::vector<std::string> args, const std::string& what) {
  args.insert(args.begin(),
              {"/usr/bin/python3", ps::testing::source_dir() + "/tests/browser/walk_console.py"});
  auto start = steady_clock::now();
  auto walk = run(args, "", 180);
  INFO(walk.out << walk.err);
  REQUIRE(walk.ok());
  WARN(what << ": " << duration_cast<milliseconds>(steady_clock::now() - start).count() << " ms");
}

}  // namespace

TEST_CASE("console: /ui/ is served with a strict policy and no token", "[daemon][console]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, console_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  for (const char* path : {"/ui/", "/ui/console.js", "/ui/console.css"}) {
    INFO(path);
    auto head = head_of(d, path);
    CHECK_THAT(head, Contains("HTTP/1.1 200"));
    CHECK_THAT(head, Contains("Content-Security-Policy: default-src 'none'; script-src 'self'; "
                              "style-src 'self';"));
    CHECK_THAT(head, Contains("frame-ancestors 'none'"));
    CHECK_THAT(head, Contains("X-Frame-Options: DENY"));
    CHECK_THAT(head, Contains("X-Content-Type-Options: nosniff"));
  }
  CHECK_THAT(head_of(d, "/ui/console.js"), Contains("Content-Type: text/javascript"));
  CHECK_THAT(head_of(d, "/ui"), Contains("HTTP/1.1 308") && Contains("Location: /ui/"));
  CHECK_THAT(head_of(d, "/ui/secrets.yaml"), Contains("HTTP/1.1 404"));
  CHECK_THAT(head_of(d, "/ui/..%2Fportal.db"), Contains("HTTP/1.1 404"));
  // The page has no inline script for the policy to forbid.
  auto page = run({"curl", "-s", d.url + "/ui/"}, "", 30).out;
  CHECK_THAT(page, Contains(R"(<script src="console.js" defer></script>)"));
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("style=") == std::string::npos);
}

TEST_CASE("console: every page in headless Chromium, as admin and as an agency",
          "[daemon][console][browser]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, console_yaml());
  portal.seed_small_tree();
  // Hostile names: a unit (shown in the account page), a display name (reserved changes).
  portal.exec(
      "UPDATE org_units SET name = '戶政科<img src=x onerror=alert(1)>' WHERE code = "
      "'A01-1'");
  portal.exec(
      "UPDATE accounts SET display_name = '<script>alert(\"dn\")</script>' || "
      "char(8238) WHERE username = 'lin.wei'");
  // An entitlement group with a hostile name (the directory entry's groups), held by
  // chen.yating, who stays enabled; two more users so the mass disable below spares her.
  portal.exec(
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', "
      "'sys-edoc\"<b onmouseover=alert(3)>');"
      "INSERT INTO account_systems(account_id, system_id) VALUES (1, 1);"
      "INSERT INTO accounts(id, username, display_name, surname, given_name, org_unit_id, role, "
      "status, last_login_at) VALUES (6, 'hsu.one', '許一', '許', '一', 2, 'user', 'enabled', "
      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), (7, 'hsu.two', '許二', '許', '二', 2, 'user', "
      "'enabled', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  // A reservation a handover duty blocks (the only agency admin of the hostile unit): the CLI
  // records it, where the API would refuse it at once.
  REQUIRE(portal
              .portalsync({"schedule", "add", "--account", "chen.yating", "--kind", "disable",
                           "--at", "2032-01-01T08:00:00+08:00", "--reason", "離職"})
              .exit_code == 0);
  ApiDaemon d(portal);
  REQUIRE(wait_until([&] { return d.call("GET", "/readyz", kAdmin).status == 200; }, kRunWait));
  // Reservations: one with a hostile reason, one in the agency's unit.
  REQUIRE(d.call("POST", "/v1/scheduled-changes", kAdmin,
                 schedule("lin.wei", R"("\"onmouseover=alert(1) x=\"<script>alert(2)</script>")"))
              .status == 201);
  REQUIRE(
      d.call("POST", "/v1/scheduled-changes", kAdmin, schedule("tsai.left", R"("復職")")).status ==
      201);
  // A mass disable (3 > max_disables 2) is held for approval.
  portal.exec(
      "UPDATE accounts SET status = 'disabled' WHERE username IN ('lin.wei', 'hsu.one', "
      "'hsu.two')");
  wait_for_hold(d);

  auto out = ps::testing::build_dir() + "/console-screenshots";
  walk_console({d.url, kAdmin, kAgency, out}, "browser walk");
  // The approval let the held run through: lin.wei is locked in the directory.
  CHECK(wait_until(
      [&] { return !directory_value(slapd, portal, "lin.wei", "pwdAccountLockedTime").empty(); },
      kRunWait));
  CHECK(portal.query_one("SELECT approved_by FROM ps_holds ORDER BY id LIMIT 1") ==
        "console-admin (admin)");
  CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes WHERE state = 'cancelled'") ==
        "1");
  for (const char* shot : {"overview", "holds", "quarantine", "reserved", "account", "audit",
                           "agency-reserved", "agency-account"})
    CHECK(std::filesystem::file_size(out + "/" + shot + ".png") > 1000);
}

TEST_CASE("console: the quickstart's story on the sample portal in headless Chromium",
          "[daemon][console][browser]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, console_yaml());
  // As scripts/quickstart makes it, smaller: the sample brings its reserved changes.
  REQUIRE(run({bin("portalsync"), "db", "sample", "--database", "sqlite3://db=" + portal.database(),
               "--accounts", "60", "--units", "12"})
              .exit_code == 0);
  ApiDaemon d(portal);
  // The first sync (the whole sample) done, so the mass disable is a run of its own.
  REQUIRE(wait_until(
      [&] {
        return d.call("GET", "/v1/status", kAdmin).body.find("\"last_success_at\":\"20") !=
               std::string::npos;
      },
      kRunWait));
  // A mass disable that spares the custodian, so her reservation stays blocked by custody.
  portal.exec(
      "UPDATE accounts SET status = 'disabled' WHERE status = 'enabled' AND id NOT IN (SELECT "
      "custodian_id FROM shared_accounts)");
  wait_for_hold(d);
  auto out = ps::testing::build_dir() + "/console-screenshots/story";
  walk_console({"--story", d.url, kAdmin, out}, "story walk");
  CHECK(portal.query_one("SELECT state FROM ps_holds ORDER BY id LIMIT 1") == "released");
  CHECK(std::filesystem::file_size(out + "/audit.csv") > 100);
}
