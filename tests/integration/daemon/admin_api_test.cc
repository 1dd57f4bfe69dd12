// The admin API of the real portalsyncd, read with curl: every wired endpoint, tokens (missing,
// wrong, revoked by a reload), bad requests, and an approval whose actor is the token's name.
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "api_daemon.h"

using namespace ps::testing;
using namespace std::chrono;

TEST_CASE("admin API: every endpoint answers with a token and refuses without one",
          "[daemon][admin]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  REQUIRE(wait_until([&] { return d.call("GET", "/readyz").status == 200; }, seconds(10)));

  CHECK(d.call("GET", "/healthz", "").status == 200);
  for (auto path : {"/v1/status", "/metrics", "/v1/audit", "/v1/approvals", "/v1/plan"}) {
    CHECK(d.call("GET", path, "").status == 401);
    CHECK(d.call("GET", path, "ops-wrong-token").status == 401);
  }
  auto status = d.call("GET", "/v1/status");
  CHECK(status.status == 200);
  CHECK_THAT(status.body, Catch::Contains(R"("state":"idle")"));

  auto metrics = d.call("GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_sync_runs_total 1"));
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_journal_lag_entries 0"));
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_directory_operation_seconds_count 10\n"));
  CHECK_THAT(metrics.body,
             Catch::Contains("portalsync_directory_operation_seconds_bucket{le=\"+Inf\"} 10\n"));
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_quarantined_objects 0"));

  portal.exec("UPDATE accounts SET title = '股長' WHERE username = 'lin.wei'");
  auto plan = d.call("GET", "/v1/plan");
  CHECK(plan.status == 200);
  CHECK_THAT(plan.body, Catch::Contains("\"operations\""));

  auto accepted = d.call("POST", "/v1/sync");
  CHECK(accepted.status == 202);
  CHECK(wait_until([&] { return directory_value(slapd, portal, "lin.wei", "title") == "股長"; },
                   kRunWait));

  CHECK(d.call("GET", "/v1/approvals").body == "[]\n");
  CHECK(d.call("GET", "/v1/scheduled-changes").status == 200);
  auto audit = d.call("GET", "/v1/audit?limit=3&category=data%20change");
  CHECK(audit.status == 200);
  CHECK_THAT(audit.body, Catch::Contains("lin.wei"));
  CHECK(d.call("GET", "/v1/audit?limit=0").status == 400);
  CHECK(d.call("GET", "/v1/audit?from=yesterday").status == 400);
  // The CLI's filters, and nothing else: a misspelt or unknown one is a 400, never "no records".
  auto own = d.call("GET", "/v1/audit?account=lin.wei");
  CHECK(own.status == 200);
  CHECK_THAT(own.body, Catch::Contains("lin.wei"));
  CHECK_THAT(own.body, !Catch::Contains("chen.yating"));
  CHECK(d.call("GET", "/v1/audit?acount=lin.wei").status == 400);
  CHECK(d.call("GET", "/v1/audit?account=nobody").status == 400);
  CHECK(d.call("GET", "/v1/audit?result=succeeded").status == 400);
  CHECK(d.call("GET", "/v1/audit?unit=NOPE").status == 400);
  auto audit_status = d.call("GET", "/v1/status");
  CHECK_THAT(audit_status.body, Catch::Contains("\"tamper_evident\":false"));
  CHECK(d.call("POST", "/v1/approvals/999").status == 404);
  CHECK(d.call("DELETE", "/v1/status").status == 405);
  CHECK(d.call("GET", "/v1/nothing").status == 404);
  CHECK(d.call("POST", "/v1/sync", kToken, std::string(70 * 1024, 'x')).status == 413);
  CHECK_FALSE(has_exited(d.pid));
}

TEST_CASE("admin API: a token removed by a reload is refused at once", "[daemon][admin]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  CHECK(d.call("GET", "/v1/status").status == 200);
  auto config = read_text(portal.config());
  write_file(portal.config(), config.substr(0, config.find("  tokens:")));
  kill(d.pid, SIGHUP);
  CHECK(wait_until([&] { return d.call("GET", "/v1/status").status == 401; }, kRunWait));
  CHECK(d.call("GET", "/healthz", "").status == 200);
}

TEST_CASE("admin API: a held mass change is approved with the token's name as actor",
          "[daemon][admin]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml("ops-chen") + "sync:\n  max_disables: 2\n");
  portal.seed_small_tree();
  ApiDaemon d(portal);
  // After the first run: ready means only that the directory answered, and a change the first
  // run's snapshot already sees creates the entries locked, with nothing to hold.
  REQUIRE(d.notify.wait_for("STATUS=idle", kRunWait));
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE status = 'enabled'");
  REQUIRE(wait_until(
      [&] { return d.call("GET", "/v1/approvals").body.find("\"held\"") != std::string::npos; },
      kRunWait));
  CHECK_FALSE(directory_value(slapd, portal, "lin.wei", "pwdAccountLockedTime").size());
  auto approved = d.call("POST", "/v1/approvals/1");
  CHECK(approved.status == 200);
  CHECK(wait_until(
      [&] { return !directory_value(slapd, portal, "lin.wei", "pwdAccountLockedTime").empty(); },
      kRunWait));
  auto audit = portal.portalsync({"audit", "query", "--category", "approval"});
  CHECK_THAT(audit.out, Catch::Contains("ops-chen"));
}

TEST_CASE("admin API: custody breaches show in /v1/status and /metrics until handed over",
          "[daemon][admin][custody]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  portal.seed_small_tree();
  // The portal disabled the custodian of household.mail before the daemon's first run.
  portal.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (1, 'household.mail', 'mail', '戶政科信箱', 3, 2);"
      "UPDATE accounts SET status = 'disabled' WHERE username = 'lin.wei'");
  ApiDaemon d(portal);
  REQUIRE(wait_until([&] { return d.call("GET", "/readyz").status == 200; }, seconds(10)));
  // Ready means the directory answered; the breaches are those the first run recorded.
  std::string breach = R"("custody_breaches":[{"kind":"orphaned shared account")";
  REQUIRE(
      wait_until([&] { return d.call("GET", "/v1/status").body.find(breach) != std::string::npos; },
                 seconds(10)));
  auto status = d.call("GET", "/v1/status");
  CHECK_THAT(status.body, Catch::Contains(breach));
  CHECK_THAT(status.body, Catch::Contains(R"("subject":"household.mail")"));
  auto metrics = d.call("GET", "/metrics");
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_orphaned_shared_accounts 1\n"));
  CHECK_THAT(metrics.body, Catch::Contains("portalsync_units_without_admin 0\n"));

  CHECK(d.call("POST", "/v1/custody/household.mail", kToken, R"({"custodian":"chen.yating"})")
            .status == 200);
  CHECK(d.call("POST", "/v1/sync").status == 202);
  CHECK(wait_until(
      [&] {
        return d.call("GET", "/metrics").body.find("portalsync_orphaned_shared_accounts 0\n") !=
               std::string::npos;
      },
      seconds(10)));
  CHECK_THAT(d.call("GET", "/v1/status").body, Catch::Contains(R"("custody_breaches":[])"));
}

TEST_CASE("admin API: a held mass change is rejected with curl and stays held, bad decisions 400",
          "[daemon][admin][guard]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml("ops-lin") + "sync:\n  max_disables: 2\n");
  portal.seed_small_tree();
  ApiDaemon d(portal);
  // After the first run: ready means only that the directory answered, and a change the first
  // run's snapshot already sees creates the entries locked, with nothing to hold.
  REQUIRE(d.notify.wait_for("STATUS=idle", kRunWait));
  portal.exec("UPDATE accounts SET status = 'disabled' WHERE status = 'enabled'");
  REQUIRE(wait_until(
      [&] { return d.call("GET", "/v1/approvals").body.find("\"held\"") != std::string::npos; },
      kRunWait));
  CHECK(d.call("POST", "/v1/approvals/1", kToken, R"({"decision":"maybe"})").status == 400);
  CHECK(d.call("POST", "/v1/approvals/1", kToken, R"({"decision":"reject","x":1})").status == 400);
  CHECK(d.call("POST", "/v1/approvals/1", kToken, "not json").status == 400);
  auto rejected = d.call("POST", "/v1/approvals/1", kToken, R"({"decision":"reject"})");
  CHECK(rejected.status == 200);
  CHECK_THAT(rejected.body, Catch::Contains("rejected"));
  CHECK_THAT(d.call("GET", "/v1/approvals").body, Catch::Contains("\"rejected\""));
  CHECK(d.call("POST", "/v1/approvals/1", kToken, R"({"decision":"approve"})").status == 409);
  CHECK(d.call("POST", "/v1/sync").status == 202);
  std::this_thread::sleep_for(seconds(2));
  CHECK(directory_value(slapd, portal, "lin.wei", "pwdAccountLockedTime").empty());
  auto audit = portal.portalsync({"audit", "query", "--category", "approval"});
  CHECK_THAT(audit.out, Catch::Contains("reject") && Catch::Contains("ops-lin"));
}

TEST_CASE("admin API: GET /v1/audit?format=xlsx answers an Excel workbook openpyxl reads",
          "[daemon][admin][audit]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  // The first run's records about 戶政科 (A01-1) are in the log.
  REQUIRE(wait_until([&] { return d.call("GET", "/v1/audit?unit=A01-1&limit=1").body != "[]\n"; },
                     kRunWait));
  auto file = portal.dir().file("audit.xlsx");
  auto got = run({"curl", "-s", "-D", "-", "-o", file, "-H", "Authorization: Bearer " + kToken,
                  d.url + "/v1/audit?format=xlsx&roc=true&unit=A01-1"},
                 "", 30);
  INFO(got.out << got.err);
  REQUIRE(got.ok());
  CHECK_THAT(got.out, Catch::Contains("HTTP/1.1 200"));
  CHECK_THAT(got.out,
             Catch::Contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
  CHECK_THAT(got.out, Catch::Contains("attachment; filename=\"audit.xlsx\""));
  auto book = run({"/usr/bin/python3", "-c",
                   "import sys, openpyxl\n"
                   "ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]\n"
                   "print(ws.freeze_panes, ws['A1'].value, ws.max_row)\n"
                   "print(ws['B2'].value)\n"
                   "print(*[c.value for c in ws['F']])\n",
                   file});
  INFO(book.err);
  REQUIRE(book.ok());
  CHECK_THAT(book.out, Catch::Contains("A2 id "));
  CHECK_THAT(book.out, Catch::Contains("\n民國 1"));
  CHECK_THAT(book.out, Catch::Contains("lin.wei"));
  CHECK_THAT(book.out, !Catch::Contains("wang.xm"));  // in A01, not A01-1
  CHECK(d.call("GET", "/v1/audit?format=pdf").status == 400);
  CHECK(d.call("GET", "/v1/audit?roc=maybe").status == 400);
  CHECK(d.call("GET", "/v1/audit?format=xlsx&limit=20000").status == 400);
  CHECK_THAT(d.call("GET", "/v1/audit?roc=1&limit=1").body, Catch::Contains("民國"));
}
