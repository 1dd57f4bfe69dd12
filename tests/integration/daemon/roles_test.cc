// Token roles and unit scopes on the real portalsyncd, with curl: every endpoint against every
// role (403 names the role needed), and an agency's token (units: [A01]) that must not reach,
// or learn of, another agency's accounts, as units and accounts move in and out of its scope.
#include <catch2/catch.hpp>

#include "api_daemon.h"
#include "core/clock.h"

using namespace ps::testing;
using namespace std::chrono;
using Catch::Matchers::Contains;

namespace {

struct RoleToken {
  std::string name, role, units, token;
};

const std::vector<RoleToken> kTokens = {
    {"scraper", "monitor", "", "tok-monitor-5a1e"},
    {"inspector", "auditor", "", "tok-auditor-77c2"},
    {"ops-wang", "operator", "", "tok-operator-2b9d"},
    {"accounts-lin", "account_admin", "", "tok-accounts-c41f"},
    {"root-chen", "admin", "", "tok-admin-90ae"},
    {"legacy", "", "", "tok-legacy-e3d7"},  // no role: acts as admin
    {"sso", "person_lookup", "", "tok-persons-4d2a"},
    {"agency-a01", "account_admin", "[A01]", "tok-agency-6f08"},
    {"audit-a01", "auditor", "[A01]", "tok-agency-audit-1c3b"},
};

std::string token_of(const std::string& name) {
  for (const auto& t : kTokens)
    if (t.name == name) return t.token;
  FAIL("no token " << name);
  return "";
}

std::string roles_yaml() {
  std::string y = "admin:\n  listen: \"127.0.0.1:0\"\n  tokens:\n";
  for (const auto& t : kTokens) {
    y += "    - name: " + t.name + "\n      sha256: " + sha256_hex(t.token) + "\n";
    if (!t.role.empty()) y += "      role: " + t.role + "\n";
    if (!t.units.empty()) y += "      units: " + t.units + "\n";
  }
  return y;
}

struct Endpoint {
  std::string method, path, body;
  std::string roles;   // the unscoped tokens that pass the role check, by name
  bool whole = false;  // acts on every unit: refused to a token with units
};

// The unscoped token with `role`.
std::string unscoped_name(const std::string& role) {
  for (const auto& t : kTokens)
    if (t.role == role && t.units.empty()) return t.name;
  return "";
}

// Bodies and ids that change nothing when they get through (400, 404), so one daemon serves
// the whole table.
const std::vector<Endpoint> kEndpoints = {
    {"GET", "/v1/whoami", "", "scraper inspector ops-wang accounts-lin root-chen legacy sso"},
    {"GET", "/readyz", "", "scraper inspector ops-wang root-chen legacy"},
    {"GET", "/metrics", "", "scraper inspector ops-wang root-chen legacy"},
    {"GET", "/v1/status", "", "scraper inspector ops-wang root-chen legacy"},
    {"GET", "/v1/runs", "", "scraper inspector ops-wang root-chen legacy"},
    {"GET", "/v1/audit?limit=1", "", "inspector root-chen legacy"},
    {"GET", "/v1/plan", "", "ops-wang root-chen legacy", true},
    {"POST", "/v1/sync", "", "ops-wang root-chen legacy", true},
    {"GET", "/v1/approvals", "", "ops-wang root-chen legacy", true},
    {"POST", "/v1/approvals/999", "", "ops-wang root-chen legacy", true},
    {"GET", "/v1/quarantine", "", "ops-wang root-chen legacy", true},
    {"POST", "/v1/quarantine/account/999/release", "", "ops-wang root-chen legacy", true},
    {"GET", "/v1/scheduled-changes", "", "accounts-lin root-chen legacy"},
    {"GET", "/v1/idle-report", "", "accounts-lin root-chen legacy"},
    {"POST", "/v1/scheduled-changes", "{}", "accounts-lin root-chen legacy"},
    {"DELETE", "/v1/scheduled-changes/999", "", "accounts-lin root-chen legacy"},
    {"GET", "/v1/accounts/nobody", "", "accounts-lin root-chen legacy"},
    {"GET", "/v1/accounts/nobody/handover", "", "accounts-lin root-chen legacy"},
    {"GET", "/v1/accounts/nobody/directory", "", "accounts-lin root-chen legacy"},
    {"POST", "/v1/accounts/nobody/password", "{}", "accounts-lin root-chen legacy"},
    {"POST", "/v1/accounts/nobody/unlock", "", "accounts-lin root-chen legacy"},
    {"POST", "/v1/custody/nobody", "{}", "accounts-lin root-chen legacy"},
    {"POST", "/v1/persons/accounts", "{}", "sso"},  // admin included not
};

bool listed(const std::string& names, const std::string& name) {
  return (" " + names + " ").find(" " + name + " ") != std::string::npos;
}

std::string utc_in(int seconds) {
  return ps::format_utc(system_clock::now() + std::chrono::seconds(seconds));
}

std::string schedule(const std::string& username, const std::string& kind,
                     const std::string& extra = "") {
  return R"({"username":")" + username + R"(","kind":")" + kind + R"(","at":")" + utc_in(86400) +
         R"(","reason":"調動")" + extra + "}";
}

// The "message" of an error body with `name` replaced, to compare two refusals.
std::string message_of(const Http& h, const std::string& name, const std::string& as) {
  auto body = h.body;
  for (auto at = body.find(name); at != std::string::npos; at = body.find(name, at + as.size()))
    body.replace(at, name.size(), as);
  return std::to_string(h.status) + " " + body;
}

}  // namespace

TEST_CASE("roles: every endpoint against every role, and a unit-scoped token on the rest",
          "[daemon][admin][roles]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, roles_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  REQUIRE_THAT(read_text(d.log_path), Contains("admin.tokens[5] (legacy) has no role"));

  for (const auto& e : kEndpoints) {
    for (const auto& t : kTokens) {
      INFO(t.name << ": " << e.method << " " << e.path);
      auto reply = d.call(e.method, e.path, t.token, e.body);
      // A scoped token has its role's endpoints, except those that act on every unit.
      bool expected = listed(e.roles, unscoped_name(t.role)) && !(e.whole && !t.units.empty());
      if (expected) {
        CHECK(reply.status != 403);
        CHECK(reply.status != 401);
      } else {
        CHECK(reply.status == 403);
        CHECK_THAT(reply.body, Contains(R"("error":"forbidden")"));
      }
    }
  }
  auto refused = d.call("GET", "/v1/audit", token_of("ops-wang"));
  CHECK_THAT(refused.body, Contains("GET /v1/audit needs role auditor or admin; token ops-wang is "
                                    "operator"));
  CHECK_THAT(
      d.call("GET", "/v1/whoami", token_of("agency-a01")).body,
      Contains(R"({"name":"agency-a01","role":"account_admin","units":["A01"],"agencies":[],)"
               R"("with_subagencies":false})"));
  CHECK(d.call("GET", "/healthz", "").status == 200);
  CHECK(d.call("GET", "/v1/whoami", "").status == 401);
}

TEST_CASE("roles: an agency's token reaches its units' accounts only, and 404 hides the rest",
          "[daemon][admin][roles]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, roles_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  const auto agency = token_of("agency-a01"), root = token_of("root-chen");

  // lin.wei is in 戶政科 (A01-1, below A01); tsai.left in 教育局 (A02).
  CHECK(d.call("GET", "/v1/accounts/lin.wei/handover", agency).status == 200);
  auto elsewhere = d.call("GET", "/v1/accounts/tsai.left/handover", agency);
  auto nowhere = d.call("GET", "/v1/accounts/no.one/handover", agency);
  CHECK(elsewhere.status == 404);
  CHECK(message_of(elsewhere, "tsai.left", "X") == message_of(nowhere, "no.one", "X"));
  CHECK(d.call("POST", "/v1/accounts/tsai.left/unlock", agency).status == 404);
  CHECK(d.call("GET", "/v1/accounts/tsai.left/directory", agency).status == 404);
  CHECK(message_of(d.call("GET", "/v1/accounts/tsai.left", agency), "tsai.left", "X") ==
        message_of(d.call("GET", "/v1/accounts/no.one", agency), "no.one", "X"));
  auto row = d.call("GET", "/v1/accounts/lin.wei", agency);
  CHECK(row.status == 200);
  CHECK_THAT(row.body, Contains(R"("unit_code":"A01-1")"));
  CHECK(row.body.find("R123456780") == std::string::npos);  // the national id
  CHECK(
      d.call("POST", "/v1/accounts/tsai.left/password", agency, R"({"password":"Ynk7#Qpr2!Wz5m"})")
          .status == 404);

  SECTION("reserved changes: a transfer into or out of the scope fails as for nothing there") {
    auto into = d.call("POST", "/v1/scheduled-changes", agency,
                       schedule("tsai.left", "transfer", R"(,"to_unit":"A01")"));
    CHECK(into.status == 404);
    auto out = d.call("POST", "/v1/scheduled-changes", agency,
                      schedule("lin.wei", "transfer", R"(,"to_unit":"A02")"));
    auto unknown = d.call("POST", "/v1/scheduled-changes", agency,
                          schedule("lin.wei", "transfer", R"(,"to_unit":"Z99")"));
    CHECK(out.status == 400);
    CHECK(message_of(out, "A02", "X") == message_of(unknown, "Z99", "X"));
    auto inside = d.call("POST", "/v1/scheduled-changes", agency,
                         schedule("lin.wei", "transfer", R"(,"to_unit":"A01")"));
    CHECK(inside.status == 201);
    CHECK_THAT(inside.body, Contains(R"x("requested_by":"agency-a01 (account_admin)")x"));
    CHECK(portal.query_one("SELECT count(*) FROM ps_change_log WHERE operation = 'schedule' AND "
                           "actor = 'agency-a01 (account_admin)'") == "1");

    // Another agency's reservation: not listed, and cancelling it is 404 like a missing id.
    REQUIRE(
        d.call("POST", "/v1/scheduled-changes", root, schedule("tsai.left", "disable")).status ==
        201);
    auto theirs = portal.query_one(
        "SELECT id FROM scheduled_changes WHERE account_id = 5 AND state = 'pending'");
    auto listed = d.call("GET", "/v1/scheduled-changes", agency).body;
    CHECK_THAT(listed, Contains("lin.wei"));
    CHECK(listed.find("tsai.left") == std::string::npos);
    CHECK_THAT(d.call("GET", "/v1/scheduled-changes", root).body, Contains("tsai.left"));
    auto cancel = d.call("DELETE", "/v1/scheduled-changes/" + theirs, agency);
    CHECK(message_of(cancel, theirs, "N") ==
          message_of(d.call("DELETE", "/v1/scheduled-changes/9999", agency), "9999", "N"));
    CHECK(portal.query_one("SELECT state FROM scheduled_changes WHERE id = " + theirs) ==
          "pending");
  }

  SECTION("a unit moved out of the scope takes its accounts with it") {
    portal.exec("UPDATE org_units SET parent_id = 4 WHERE code = 'A01-1'");
    CHECK(d.call("GET", "/v1/accounts/lin.wei/handover", agency).status == 404);
    CHECK(d.call("GET", "/v1/accounts/wang.xm/handover", agency).status == 200);
  }
}

TEST_CASE("roles: an agency's auditor keeps the records of an account that left its units",
          "[daemon][admin][roles]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, roles_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  const auto auditor = token_of("audit-a01");
  auto audit = [&](const std::string& query) {
    return d.call("GET", "/v1/audit?" + query, auditor).body;
  };
  // The first run added lin.wei in 戶政科 and tsai.left in 教育局.
  REQUIRE(wait_until([&] { return audit("account=lin.wei").find("\"add\"") != std::string::npos; },
                     kRunWait));
  CHECK(audit("").find("tsai.left") == std::string::npos);
  // Another agency's account and one that never existed both read as no records.
  CHECK(audit("account=tsai.left") == audit("account=no.one"));
  CHECK(d.call("GET", "/v1/audit?account=no.one", token_of("inspector")).status == 400);

  // The portal moves lin.wei to 教育局, then changes its title there.
  portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE username = 'lin.wei'");
  REQUIRE(wait_until(
      [&] {
        return d.call("GET", "/v1/audit?account=lin.wei&category=unit%20transfer",
                      token_of("root-chen"))
                   .body.find("\"applied\"") != std::string::npos;
      },
      kRunWait));
  portal.exec("UPDATE accounts SET title = '專員' WHERE username = 'lin.wei'");
  REQUIRE(wait_until(
      [&] {
        return d.call("GET", "/v1/audit?account=lin.wei", token_of("root-chen"))
                   .body.find("專員") != std::string::npos;
      },
      kRunWait));
  auto seen = audit("account=lin.wei");
  CHECK_THAT(seen, Contains("\"add\""));          // made while it was theirs
  CHECK_THAT(seen, Contains("unit transfer"));    // it left from their unit
  CHECK(seen.find("專員") == std::string::npos);  // made after it left
  CHECK(d.call("GET", "/v1/accounts/lin.wei/handover", token_of("agency-a01")).status == 404);
}
