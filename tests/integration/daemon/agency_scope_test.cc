// Agency-scoped tokens and the person lookup on the real portalsyncd, with curl, on a three-level
// tree (臺南市政府 -> 民政局, 教育局 -> 永康區公所, 復興國小): a bureau's token reaches its own
// units and not the school's or the district office's accounts (404, as for none) unless
// with_subagencies; and POST /v1/persons/accounts finds one person's accounts by a national ID
// that never reaches a URL, an answer or the daemon's log.
#include <catch2/catch.hpp>

#include "api_daemon.h"

using namespace ps::testing;
using Catch::Matchers::Contains;

namespace {

struct ScopedToken {
  std::string name, lines, token;
};

const std::vector<ScopedToken> kScoped = {
    {"root", "      role: admin\n", "tok-root-8c1d"},
    {"edu", "      role: account_admin\n      agencies: [A02]\n", "tok-edu-27fa"},
    {"edu-all", "      role: account_admin\n      agencies: [A02]\n      with_subagencies: true\n",
     "tok-edu-all-93b0"},
    {"edu-audit", "      role: auditor\n      agencies: [A02]\n", "tok-edu-audit-51e6"},
    {"section", "      role: account_admin\n      agencies: [A01-1]\n", "tok-section-0d4c"},
    {"sso", "      role: person_lookup\n", "tok-sso-6b7e"},
    {"sso-civil", "      role: person_lookup\n      agencies: [A01]\n", "tok-sso-civil-e2a9"},
};

std::string token(const std::string& name) {
  for (const auto& t : kScoped)
    if (t.name == name) return t.token;
  FAIL("no token " << name);
  return "";
}

// At log level debug, so every request's line is in the log the person test reads.
std::string scoped_yaml() {
  std::string y = "log:\n  level: debug\nadmin:\n  listen: \"127.0.0.1:0\"\n  tokens:\n";
  for (const auto& t : kScoped)
    y += "    - name: " + t.name + "\n      sha256: " + sha256_hex(t.token) + "\n" + t.lines;
  return y;
}

// seed_small_tree, agencies marked, plus 永康區公所 (under 民政局) and 復興國小 (under 教育局).
// One person, E123456789, holds three accounts: tsai.left (disabled, 教育局), fx.teacher
// (復興國小) and yk.clerk (永康區公所).
constexpr const char* kPerson = "E123456789";

void seed(const PortalFixture& portal) {
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 2, 'A01-D1', '永康區公所'), "
      "(6, 4, 'A02-S1', '復興國小');"
      "UPDATE org_units SET is_agency = 1, agency_level = CASE id WHEN 1 THEN 1 WHEN 2 THEN 2 "
      "WHEN 4 THEN 2 ELSE 3 END WHERE id IN (1, 2, 4, 5, 6);"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status, national_id) VALUES "
      "(6, 'yk.clerk', '永康課員', 5, 'enabled', 'E123456789'), "
      "(7, 'fx.teacher', '復興教師', 6, 'enabled', 'E123456789');"
      "UPDATE accounts SET national_id = 'E123456789' WHERE username = 'tsai.left'");
}

std::string not_found_of(const Http& h, const std::string& name) {
  auto body = h.body;
  auto at = body.find(name);
  if (at != std::string::npos) body.replace(at, name.size(), "X");
  return std::to_string(h.status) + " " + body;
}

}  // namespace

TEST_CASE("agency scopes: a bureau's token stops at the agencies below it unless asked",
          "[daemon][admin][agency]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, scoped_yaml());
  seed(portal);
  ApiDaemon d(portal);
  auto get = [&](const std::string& path, const std::string& who) {
    return d.call("GET", path, token(who));
  };

  // 教育局's own accounts, not 復興國小's below it, which reads as an account that does not exist.
  CHECK(get("/v1/accounts/tsai.left", "edu").status == 200);
  auto school = get("/v1/accounts/fx.teacher", "edu");
  CHECK(school.status == 404);
  CHECK(not_found_of(school, "fx.teacher") ==
        not_found_of(get("/v1/accounts/no.one", "edu"), "no.one"));
  CHECK(get("/v1/accounts/fx.teacher/handover", "edu").status == 404);
  CHECK(get("/v1/accounts/lin.wei", "edu").status == 404);  // another bureau
  // with_subagencies: the school as well, still not the other bureau.
  CHECK(get("/v1/accounts/fx.teacher", "edu-all").status == 200);
  CHECK(get("/v1/accounts/tsai.left", "edu-all").status == 200);
  CHECK(get("/v1/accounts/yk.clerk", "edu-all").status == 404);
  // A unit inside an agency is no agency: its token reaches nothing, not the unit's bureau.
  CHECK(get("/v1/accounts/lin.wei", "section").status == 404);
  CHECK(get("/v1/accounts/chen.yating", "section").status == 404);
  // Scoped tokens stay off the endpoints that act on every unit.
  CHECK(d.call("POST", "/v1/sync", token("edu-all")).status == 403);
  CHECK_THAT(get("/v1/whoami", "edu-all").body,
             Contains(R"("units":[],"agencies":["A02"],"with_subagencies":true)"));

  // The first run's records: the bureau's auditor sees 教育局's, not the school's.
  REQUIRE(wait_until(
      [&] {
        return get("/v1/audit?account=fx.teacher", "root").body.find("\"add\"") !=
               std::string::npos;
      },
      kRunWait));
  auto seen = get("/v1/audit", "edu-audit").body;
  CHECK_THAT(seen, Contains("tsai.left"));
  CHECK(seen.find("fx.teacher") == std::string::npos);
  CHECK(get("/v1/audit?account=fx.teacher", "edu-audit").body ==
        get("/v1/audit?account=no.one", "edu-audit").body);
  // agency= filters the same way for an unscoped auditor.
  auto bureau = get("/v1/audit?agency=A02", "root").body;
  CHECK_THAT(bureau, Contains("tsai.left"));
  CHECK(bureau.find("fx.teacher") == std::string::npos);
  CHECK_THAT(get("/v1/audit?agency=A02&with_subagencies=1", "root").body, Contains("fx.teacher"));
  CHECK(get("/v1/audit?agency=A01-1", "root").status == 400);  // a unit, not an agency
  CHECK(get("/v1/audit?with_subagencies=1", "root").status == 400);
}

TEST_CASE("persons: one person's accounts, enabled first, and the national ID nowhere else",
          "[daemon][admin][agency][persons]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, scoped_yaml());
  seed(portal);
  ApiDaemon d(portal);
  auto lookup = [&](const std::string& body, const std::string& who = "sso",
                    const std::string& query = "") {
    return d.call("POST", "/v1/persons/accounts" + query, token(who), body);
  };
  const std::string body = std::string(R"({"national_id":")") + kPerson + R"("})";

  auto found = lookup(body);
  INFO(found.body);
  REQUIRE(found.status == 200);
  auto teacher = found.body.find("fx.teacher"), clerk = found.body.find("yk.clerk"),
       left = found.body.find("tsai.left");
  REQUIRE(teacher != std::string::npos);
  REQUIRE(clerk != std::string::npos);
  REQUIRE(left != std::string::npos);
  CHECK(teacher < clerk);  // enabled, by username
  CHECK(clerk < left);     // the disabled one last
  CHECK_THAT(found.body, Contains(R"("status":"enabled","enabled":true,"locked":false,)"
                                  R"("agency":"復興國小","agency_code":"A02-S1",)"
                                  R"("unit":"復興國小","unit_code":"A02-S1")"));
  CHECK_THAT(found.body, Contains(R"("status":"disabled","enabled":false)"));
  CHECK_THAT(found.body, Contains(R"("agency":"教育局")"));
  CHECK(found.body.find(kPerson) == std::string::npos);
  // Spelt as a person types it: the same accounts.
  CHECK(lookup(R"({"national_id":" e123456789 "})").body == found.body);
  // A token limited to 民政局 does not reach 永康區公所, an agency below it: none of the three.
  CHECK(lookup(body, "sso-civil").body == "{\"accounts\":[]}\n");
  CHECK(lookup(R"({"national_id":"Z999999999"})").body == "{\"accounts\":[]}\n");

  // Attacks: the ID in the query string, another role, malformed bodies.
  auto in_url = lookup(body, "sso", std::string("?national_id=") + kPerson);
  CHECK(in_url.status == 400);
  CHECK(lookup("", "sso", std::string("?national_id=") + kPerson).status == 400);
  CHECK(lookup(body, "root").status == 403);  // admin included not
  CHECK(lookup(body, "edu").status == 403);
  CHECK(d.call("GET", "/v1/persons/accounts", token("sso")).status == 405);
  CHECK(d.call("GET", "/v1/status", token("sso")).status == 403);
  for (const std::string bad : {"{", "[]", R"({"national_id":5})", R"({"nationalid":"E123456789"})",
                                R"({"national_id":"E123456789","also":1})", R"({"national_id":""})",
                                R"({"national_id":"E12345678<script>"})",
                                R"({"national_id":"E123456789E123456789E123456789E1234"})"}) {
    INFO(bad);
    auto refused = lookup(bad);
    CHECK(refused.status == 400);
    CHECK(refused.body.find(kPerson) == std::string::npos);
    CHECK(refused.body.find("E12345678") == std::string::npos);
  }
  CHECK(in_url.body.find(kPerson) == std::string::npos);

  // Nothing the daemon wrote names the person: its log at any level.
  d.call("GET", "/v1/status", token("root"));  // one more line after the lookups
  auto log = read_text(d.log_path);
  CHECK_THAT(log, Contains("POST /v1/persons/accounts 200"));
  CHECK(log.find("E12345678") == std::string::npos);
  CHECK(log.find("e12345678") == std::string::npos);
}
