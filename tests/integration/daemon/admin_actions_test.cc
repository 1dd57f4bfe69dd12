// The admin endpoints that change things by hand, on the real portalsyncd with curl: reserved
// changes, handover checks, custody, password set and unlock (over StartTLS), and beside them the
// directory entry's state. Each success is checked where an operator would look (ldapsearch,
// ldapwhoami, the change log with the token's name as actor), each refusal by its status, its
// error code and that nothing changed.
#include <catch2/catch.hpp>
#include <filesystem>

#include "api_daemon.h"
#include "core/clock.h"

using namespace ps::testing;
using namespace std::chrono;
using Catch::Matchers::Contains;

namespace {

const std::string kChenDn =
    "uid=chen.yating,ou=戶政科,ou=民政局,ou=臺南市政府,ou=portal,dc=example,dc=org";
const std::string kGood = "Ynk7#Qpr2!Wz5m";  // passes the default policy
const std::string kOther = "Hv3$Lmt8&Jq4Xe";

std::string utc_in(int seconds) {
  return ps::format_utc(system_clock::now() + std::chrono::seconds(seconds));
}

std::string schedule_body(const std::string& username, const std::string& kind,
                          const std::string& at, const std::string& extra = "") {
  return R"({"username":")" + username + R"(","kind":")" + kind + R"(","at":")" + at +
         R"(","reason":"退休")" + extra + "}";
}

std::string count(const PortalFixture& portal, const std::string& where) {
  return portal.query_one("SELECT count(*) FROM ps_changes WHERE " + where);
}

// Every file of the portal database (the main file, its journal or WAL).
std::string database_bytes(const PortalFixture& portal) {
  std::string bytes;
  auto name = std::filesystem::path(portal.database()).filename().string();
  for (const auto& f : std::filesystem::directory_iterator(portal.dir().path()))
    if (f.path().filename().string().starts_with(name)) bytes += read_file(f.path().string());
  return bytes;
}

// A slapd with StartTLS and a ppolicy that locks after 3 failed binds, and a daemon configuration
// that reaches it over StartTLS, with the admin API.
struct TlsSetup {
  SlapdServer slapd;
  PortalFixture portal{slapd};
  std::string config = portal.dir().file("tls.yaml");

  TlsSetup() : slapd(options()) {
    REQUIRE(slapd.add("dn: cn=lockout,dc=example,dc=org\nobjectClass: device\n"
                      "objectClass: pwdPolicy\ncn: lockout\npwdAttribute: userPassword\n"
                      "pwdLockout: TRUE\npwdMaxFailure: 3\npwdLockoutDuration: 0\n") == 0);
    write_file(config, "portal:\n  database: \"sqlite3://db=" + portal.database() +
                           "\"\ndirectory:\n  url: \"" + slapd.url() +
                           "\"\n  tls: starttls\n  ca_file: \"" + slapd.ca_file() +
                           "\"\n  bind_dn: \"" + slapd.admin_dn() + "\"\n  bind_password_file: \"" +
                           slapd.password_file() + "\"\n  base_dn: \"" + portal.base_dn() + "\"\n" +
                           admin_yaml("ops-chen"));
    portal.seed_small_tree();
  }

  static SlapdOptions options() {
    SlapdOptions o;
    o.tls = true;
    o.extra_config =
        "ppolicy_default \"cn=lockout,dc=example,dc=org\"\n"
        "access to attrs=userPassword by self write by anonymous auth by * none\n"
        "access to * by * read";
    return o;
  }

  bool can_bind(const std::string& dn, const std::string& password) const {
    auto file = portal.dir().file("bind.pw");
    write_file(file, password, 0600);
    return LdapClient({slapd.url(), dn, file, slapd.ca_file(), true})
        .run_tool("ldapwhoami", "")
        .ok();
  }
};

}  // namespace

TEST_CASE("admin API: the endpoints that change things refuse a request without a token",
          "[daemon][admin]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  portal.seed_small_tree();
  ApiDaemon d(portal);
  auto body = schedule_body("lin.wei", "disable", utc_in(3600));
  for (auto [method, path] : {std::pair{"POST", "/v1/scheduled-changes"},
                              {"DELETE", "/v1/scheduled-changes/1"},
                              {"GET", "/v1/accounts/lin.wei/handover"},
                              {"POST", "/v1/accounts/lin.wei/password"},
                              {"POST", "/v1/accounts/lin.wei/unlock"},
                              {"POST", "/v1/custody/household.mail"}}) {
    INFO(method << " " << path);
    CHECK(d.call(method, path, "", body).status == 401);
    CHECK(d.call(method, path, "ops-wrong-token", body).status == 401);
  }
  CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes") == "0");
}

TEST_CASE("admin API: handover, custody and reserved changes with the token's name as actor",
          "[daemon][admin]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml("ops-chen"));
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (1, 'household.mail', 'mail', '戶政科信箱', 3, 2)");
  ApiDaemon d(portal);

  auto handover = d.call("GET", "/v1/accounts/lin.wei/handover");
  CHECK(handover.status == 200);
  CHECK_THAT(handover.body, Contains(R"("blocked":true)"));
  CHECK_THAT(handover.body, Contains("custodian of household.mail (mail): hand custody"));
  // No unit marked as an agency: the agency is the top of the tree, as AD's company says.
  CHECK_THAT(handover.body, Contains(R"("agency":"臺南市政府")"));
  CHECK_THAT(d.call("GET", "/v1/accounts/wang.xm/handover").body,
             Contains("wang.xm is the only agency admin of 民政局"));
  CHECK(d.call("GET", "/v1/accounts/nobody/handover").status == 404);

  SECTION("a disable blocked by handover is refused until custody moves") {
    auto blocked = d.call("POST", "/v1/scheduled-changes", kToken,
                          schedule_body("lin.wei", "disable", utc_in(2)));
    CHECK(blocked.status == 409);
    CHECK_THAT(blocked.body, Contains(R"("error":"blocked")"));
    CHECK_THAT(blocked.body, Contains("custodian of household.mail"));
    CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes") == "0");

    auto wrong_unit =
        d.call("POST", "/v1/custody/household.mail", kToken, R"({"custodian":"wang.xm"})");
    CHECK(wrong_unit.status == 409);
    CHECK_THAT(wrong_unit.body, Contains("wang.xm is not in 戶政科"));
    CHECK(d.call("POST", "/v1/custody/no.such", kToken, R"({"custodian":"wang.xm"})").status ==
          404);
    CHECK(d.call("POST", "/v1/custody/household.mail", kToken, R"({"to":"x"})").status == 400);
    auto moved =
        d.call("POST", "/v1/custody/household.mail", kToken, R"({"custodian":"chen.yating"})");
    CHECK(moved.status == 200);
    CHECK(portal.query_one("SELECT custodian_id FROM shared_accounts") == "1");
    CHECK(count(portal, "category = 'custody' AND actor = 'ops-chen'") == "1");
    CHECK(count(portal, "category = 'custody' AND unit_id = 3 AND kind = 'shared_account'") == "1");
    CHECK_THAT(d.call("GET", "/v1/accounts/lin.wei/handover").body, Contains(R"("blocked":false)"));

    auto added = d.call("POST", "/v1/scheduled-changes", kToken,
                        schedule_body("lin.wei", "disable", utc_in(2)));
    CHECK(added.status == 201);
    CHECK_THAT(added.body, Contains(R"("requested_by":"ops-chen")"));
    // Due in 2 s: the daemon runs it then, and ldapsearch shows the entry locked.
    CHECK(wait_until(
        [&] { return !directory_value(slapd, portal, "lin.wei", "pwdAccountLockedTime").empty(); },
        seconds(10)));
    CHECK(portal.query_one("SELECT state FROM scheduled_changes") == "done");
  }

  SECTION("a reserved change is cancelled once, and bad requests name the field") {
    auto added = d.call(
        "POST", "/v1/scheduled-changes", kToken,
        schedule_body("chen.yating", "set_role", "2031-01-01T08:00:00+08:00", R"(,"role":"user")"));
    REQUIRE(added.status == 201);
    CHECK(portal.query_one("SELECT requested_by FROM scheduled_changes") == "ops-chen");
    auto id = portal.query_one("SELECT id FROM scheduled_changes");
    CHECK(d.call("DELETE", "/v1/scheduled-changes/" + id).status == 200);
    CHECK(portal.query_one("SELECT state FROM scheduled_changes") == "cancelled");
    CHECK(count(portal, "operation = 'cancel' AND actor = 'ops-chen'") == "1");
    // Both recorded once, about the scheduled change (its id, what it does to whom, the unit).
    auto recorded = "kind = 'scheduled_change' AND subject_id = " + id +
                    " AND subject_name = 'set_role chen.yating' AND unit_id = 3";
    CHECK(count(portal, recorded + " AND operation = 'schedule'") == "1");
    CHECK(count(portal, recorded + " AND operation = 'cancel'") == "1");
    auto again = d.call("DELETE", "/v1/scheduled-changes/" + id);
    CHECK(again.status == 409);
    CHECK_THAT(again.body, Contains("only pending changes can be cancelled"));
    CHECK(d.call("DELETE", "/v1/scheduled-changes/999").status == 404);
    CHECK(d.call("DELETE", "/v1/scheduled-changes/abc").status == 400);

    auto post = [&](const std::string& body) {
      return d.call("POST", "/v1/scheduled-changes", kToken, body);
    };
    CHECK(post("{").status == 400);
    CHECK_THAT(post(R"({"username":"lin.wei"})").body, Contains(R"("field":"kind")"));
    CHECK_THAT(post(schedule_body("lin.wei", "explode", utc_in(60))).body,
               Contains(R"("field":"kind")"));
    CHECK_THAT(post(schedule_body("lin.wei", "transfer", utc_in(60), R"(,"to_unit":"Z99")")).body,
               Contains(R"("field":"to_unit")"));
    CHECK_THAT(post(schedule_body("lin.wei", "enable", "tomorrow")).body,
               Contains(R"("field":"at")"));
    CHECK(post(schedule_body("lin.wei", "enable", utc_in(60), R"(,"colour":"red")")).status == 400);
    CHECK(post(schedule_body("nobody", "enable", utc_in(60))).status == 404);
    CHECK(portal.query_one("SELECT count(*) FROM scheduled_changes") == "1");
  }
}

TEST_CASE("admin API: a password set and an unlock over StartTLS, refusals sending nothing",
          "[daemon][admin][password]") {
  TlsSetup t;
  ApiDaemon d(t.portal, t.config);
  auto password = [&](const std::string& user, const std::string& body) {
    return d.call("POST", "/v1/accounts/" + user + "/password", kToken, body);
  };

  auto weak = password("chen.yating", R"({"password":"chen.yating1"})");
  CHECK(weak.status == 422);
  CHECK_THAT(weak.body, Contains(R"("error":"policy_refused")"));
  CHECK_THAT(weak.body, Contains(R"("forbid_username")"));
  CHECK(count(t.portal, "operation = 'set_password'") == "0");
  CHECK_FALSE(t.can_bind(kChenDn, "chen.yating1"));

  CHECK(password("tsai.left", R"({"password":")" + kGood + R"("})").status == 409);
  CHECK(password("nobody", R"({"password":")" + kGood + R"("})").status == 404);
  CHECK_THAT(password("chen.yating", R"({"must_change":true})").body,
             Contains(R"("field":"password")"));
  CHECK_THAT(password("chen.yating", R"({"password":")" + kGood + R"(","must_change":"yes"})").body,
             Contains(R"("field":"must_change")"));
  CHECK(count(t.portal, "operation = 'set_password'") == "0");

  auto set = password("chen.yating", R"({"password":")" + kGood + R"(","must_change":false})");
  INFO(set.body);
  CHECK(set.status == 200);
  CHECK(t.can_bind(kChenDn, kGood));
  CHECK(count(t.portal,
              "operation = 'set_password' AND result = 'applied' AND "
              "actor = 'ops-chen' AND subject_name = 'chen.yating'") == "1");
  for (const auto& text : {set.body, read_text(d.log_path), database_bytes(t.portal)})
    CHECK(text.find(kGood) == std::string::npos);

  for (int i = 0; i < 3; ++i) CHECK_FALSE(t.can_bind(kChenDn, kOther));
  REQUIRE_FALSE(t.can_bind(kChenDn, kGood));  // locked by ppolicy
  auto entry = [&](const std::string& user) {
    return d.call("GET", "/v1/accounts/" + user + "/directory");
  };
  auto locked = entry("chen.yating");
  INFO(locked.body);
  CHECK(locked.status == 200);
  CHECK_THAT(locked.body, Contains(R"("state":"locked","locked_since":"20)"));
  auto unlocked = d.call("POST", "/v1/accounts/chen.yating/unlock");
  CHECK(unlocked.status == 200);
  CHECK(t.can_bind(kChenDn, kGood));
  CHECK(entry("chen.yating").body == R"({"username":"chen.yating","dn":")" + kChenDn +
                                         R"(","state":"enabled","locked_since":"","groups":[]})"
                                         "\n");
  CHECK_THAT(entry("tsai.left").body, Contains(R"("state":"disabled","locked_since":"")"));
  CHECK(entry("nobody").status == 404);
  CHECK(count(t.portal, "operation = 'unlock' AND result = 'applied' AND actor = 'ops-chen'") ==
        "1");
  CHECK(d.call("POST", "/v1/accounts/tsai.left/unlock").status == 409);
  CHECK(d.call("POST", "/v1/accounts/nobody/unlock").status == 404);

  t.slapd.stop();
  auto away = d.call("POST", "/v1/accounts/chen.yating/unlock");
  CHECK(away.status == 503);
  CHECK_THAT(away.body, Contains(R"("error":"directory_unavailable")"));
  CHECK(entry("chen.yating").status == 503);
  CHECK_FALSE(has_exited(d.pid));
}
