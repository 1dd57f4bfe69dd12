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
  return "admin:\n  listen: \"127.0.0.1:0\"\n  tokens:\n    - name: console-admin\n      role: "
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
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE status = 'enabled'");
  REQUIRE(wait_until(
      [&] {
        return d.call("GET", "/v1/approvals", kAdmin).body.find("\"held\"") != std::string::npos;
      },
      kRunWait));

  auto out = ps::testing::build_dir() + "/console-screenshots";
  auto start = steady_clock::now();
  auto walk = run({"/usr/bin/python3", ps::testing::source_dir() + "/tests/browser/walk_console.py",
                   d.url, kAdmin, kAgency, out},
                  "", 180);
  INFO(walk.out << walk.err);
  REQUIRE(walk.ok());
  WARN("browser walk: " << duration_cast<milliseconds>(steady_clock::now() - start).count()
                        << " ms");
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
