// portalsync sync --once against a real slapd, read back with ldapsearch: the foundation stories.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <sstream>

#include "store/database_lock.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;

namespace {

const std::string kCity = "ou=臺南市政府,ou=portal,dc=example,dc=org";
const std::string kHousehold = "ou=戶政科,ou=民政局," + kCity;

const LdifEntry* find(const std::vector<LdifEntry>& entries, const std::string& dn) {
  for (const auto& e : entries)
    if (e.dn == dn) return &e;
  return nullptr;
}

std::size_t count_users(const SlapdServer& slapd, const std::string& base) {
  return slapd.search(base, kPersonalAccountsFilter, {"1.1"}).size();
}

void require_sync(const PortalFixture& portal, int expected_exit = 0) {
  auto r = portal.portalsync({"sync", "--once"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == expected_exit);
}

}  // namespace

TEST_CASE("first sync writes the tree with Chinese names, the second sync is a no-op",
          "[cli][sync][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  require_sync(portal);
  auto entries = slapd.search(portal.base_dn());
  const auto* chen = find(entries, "uid=chen.yating," + kHousehold);
  REQUIRE(chen);
  CHECK(chen->first("displayname") == "陳雅婷");
  CHECK(chen->first("cn") == "陳雅婷");
  CHECK(chen->first("sn") == "陳");
  CHECK(chen->first("title") == "科員");
  CHECK(chen->first("telephonenumber") == "06-2991111 ext. 1234");
  CHECK(chen->first("departmentnumber") == "A01-1");
  CHECK_FALSE(chen->has("pwdaccountlockedtime"));
  for (const auto& e : entries) CHECK_FALSE(e.has("employeenumber"));  // national IDs stay home
  CHECK(find(entries, "uid=huang.pending,ou=教育局," + kCity)->first("pwdaccountlockedtime") ==
        "000001010000Z");
  CHECK(count_users(slapd, portal.base_dn()) == 5);
  // What another system uses to read enabled users only.
  auto enabled = slapd.search(portal.base_dn(),
                              "(&(objectClass=inetOrgPerson)(!(pwdAccountLockedTime=*)))", {"uid"});
  CHECK(enabled.size() == 3);
  CHECK(portal.plan_is_empty());
  auto second = portal.portalsync({"sync", "--once"});
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("0 operations planned"));
}

TEST_CASE("DN special characters and leading/trailing spaces survive the round trip",
          "[cli][sync]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  const std::string hostile = " #局,+\"\\<>;=處 ";
  portal.exec("INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'H1', '" +
              hostile +
              "');"
              "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
              "(1, 'a+b,c=d', '王\"小明\"<測試>', 1, 'enabled');");
  require_sync(portal);
  auto entries = slapd.search(portal.base_dn(), kPersonalAccountsFilter);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].first("uid") == "a+b,c=d");
  CHECK(entries[0].first("displayname") == "王\"小明\"<測試>");
  auto units = slapd.search(portal.base_dn(), "(businessCategory=H1)");
  REQUIRE(units.size() == 1);
  CHECK(units[0].first("ou") == hostile);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("rename, transfer, unit rename and unit move keep every entryUUID",
          "[cli][sync][portable][not-on-mariadb]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  require_sync(portal);
  auto before = slapd.search(portal.base_dn());
  auto uuid_of = [](const std::vector<LdifEntry>& es, const std::string& uid) {
    for (const auto& e : es)
      if (e.first("uid") == uid || e.first("businesscategory") == uid) return e.first("entryuuid");
    return std::string();
  };

  portal.exec(
      "UPDATE accounts SET display_name = '陳雅琪', given_name = '雅琪' WHERE id = 1;"
      "UPDATE accounts SET org_unit_id = 4 WHERE id = 2;"   // 林威 to 教育局
      "UPDATE org_units SET name = '民政處' WHERE id = 2;"  // unit rename
      "UPDATE org_units SET parent_id = 4 WHERE id = 3;");  // 戶政科 under 教育局
  auto plan = portal.portalsync({"plan", "--json"});
  CHECK_THAT(plan.out, Catch::Contains("\"op\":\"rename\""));
  CHECK_THAT(plan.out, Catch::Contains("\"op\":\"move\""));
  CHECK_THAT(plan.out, !Catch::Contains("\"op\":\"add\""));
  CHECK_THAT(plan.out, !Catch::Contains("\"op\":\"delete\""));
  require_sync(portal);
  auto after = slapd.search(portal.base_dn());
  const auto* chen = find(after, "uid=chen.yating,ou=戶政科,ou=教育局," + kCity);
  REQUIRE(chen);
  CHECK(chen->first("cn") == "陳雅琪");
  CHECK(find(after, "uid=lin.wei,ou=教育局," + kCity));
  CHECK(find(after, "uid=wang.xm,ou=民政處," + kCity));
  for (auto key : {"chen.yating", "lin.wei", "wang.xm", "A01", "A01-1"})
    CHECK(uuid_of(after, key) == uuid_of(before, key));
  CHECK(count_users(slapd, portal.base_dn()) == 5);
  CHECK(portal.plan_is_empty());
}

TEST_CASE("a retired empty unit is deleted, disable and enable toggle the bind lock",
          "[cli][sync]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec("INSERT INTO org_units(id, parent_id, code, name) VALUES (5, 4, 'A02-9', '裁撤科')");
  require_sync(portal);
  REQUIRE(slapd.search(portal.base_dn(), "(businessCategory=A02-9)").size() == 1);
  portal.exec(
      "UPDATE org_units SET active = 0 WHERE id = 5;"
      "UPDATE accounts SET status = 'disabled' WHERE id = 2;"
      "UPDATE accounts SET status = 'enabled' WHERE id = 5;");
  require_sync(portal);
  CHECK(slapd.search(portal.base_dn(), "(businessCategory=A02-9)").empty());
  auto lin = slapd.search(portal.base_dn(), "(uid=lin.wei)");
  CHECK(lin.at(0).first("pwdaccountlockedtime") == "000001010000Z");
  auto tsai = slapd.search(portal.base_dn(), "(uid=tsai.left)");
  CHECK_FALSE(tsai.at(0).has("pwdaccountlockedtime"));
  CHECK(portal.plan_is_empty());
}

TEST_CASE("entries already in the directory are adopted, not duplicated", "[cli][sync]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  REQUIRE(
      slapd.add("dn: ou=portal,dc=example,dc=org\nobjectClass: organizationalUnit\nou: portal\n\n"
                "dn: ou=臺南市政府,ou=portal,dc=example,dc=org\nobjectClass: "
                "organizationalUnit\nou: 臺南市政府\n\n"
                "dn: uid=chen.yating,ou=臺南市政府,ou=portal,dc=example,dc=org\n"
                "objectClass: inetOrgPerson\nuid: chen.yating\ncn: 舊名字\nsn: 陳\n") == 0);
  auto old_uuid = slapd.search(portal.base_dn(), "(uid=chen.yating)").at(0).first("entryuuid");
  auto city_uuid = slapd.search(portal.base_dn(), "(ou=臺南市政府)").at(0).first("entryuuid");
  require_sync(portal);
  auto chen = slapd.search(portal.base_dn(), "(uid=chen.yating)");
  REQUIRE(chen.size() == 1);
  CHECK(chen[0].dn == "uid=chen.yating," + kHousehold);
  CHECK(chen[0].first("entryuuid") == old_uuid);
  CHECK(chen[0].first("cn") == "陳雅婷");
  CHECK(slapd.search(portal.base_dn(), "(ou=臺南市政府)").at(0).first("entryuuid") == city_uuid);
  CHECK(count_users(slapd, portal.base_dn()) == 5);
}

TEST_CASE("a bad row is rejected with its reason and every other row syncs", "[cli][sync]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(20, '', '無名氏', 2, 'enabled'), (21, 'ghost', '幽靈', 99, 'enabled'),"
      "(22, 'bad.status', '怪', 2, 'frozen');"
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(23, 'bad.utf8', CAST(X'C328' AS TEXT), 2, 'enabled');"
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (7, 8, 'L1', '迴圈'), (8, 7, 'L2', "
      "'圈迴');");
  auto r = portal.portalsync({"sync", "--once"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("account 20 (): username is empty"));
  CHECK_THAT(r.out, Catch::Contains("account 21 (ghost): org unit 99 does not exist"));
  CHECK_THAT(r.out, Catch::Contains("status \"frozen\""));
  CHECK_THAT(r.out, Catch::Contains("display_name is not valid UTF-8"));
  CHECK_THAT(r.out, Catch::Contains("org-unit cycle"));
  CHECK(count_users(slapd, portal.base_dn()) == 5);
}

TEST_CASE("every applied operation is in the change log with its before and after",
          "[cli][changelog][portable][not-on-postgresql]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  require_sync(portal);
  portal.exec("UPDATE accounts SET title = '專員' WHERE id = 2");
  require_sync(portal);
  // Each intent stays as sealed; its outcome is a record of its own, joined in ps_changes.
  CHECK(portal.query_one("SELECT count(*) FROM ps_change_log WHERE outcome_of IS NULL AND "
                         "result = 'pending'") == "11");
  CHECK(portal.query_one("SELECT count(*) FROM ps_changes WHERE result = 'applied'") == "11");
  CHECK(portal.query_one("SELECT before_json || ' -> ' || after_json FROM ps_change_log "
                         "WHERE operation = 'modify'") ==
        R"({"title":["科長"]} -> {"title":["專員"]})");
  CHECK(portal.query_one("SELECT count(*) FROM ps_pending_intents") == "0");
  // The portal is the actor of what it asked for; who ran the sync is the run's record.
  CHECK(portal.query_one("SELECT actor FROM ps_change_log WHERE operation = 'modify'") == "portal");
  CHECK(portal
            .query_one("SELECT r.actor FROM ps_change_log c JOIN ps_runs r ON r.id = c.run_id "
                       "LIMIT 1")
            .rfind("cli:", 0) == 0);
}

TEST_CASE("a second sync while one runs stops with a clear message", "[cli][sync][portable]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  // Another sync's run lock: a lock file beside SQLite's database, a session lock on a server.
  std::optional<pid_t> flock;
  std::unique_ptr<ps::DatabaseLock> session_lock;
  if (portal.backend() == PortalBackend::sqlite) {
    flock = spawn({"flock", portal.database() + ".sync-lock", "sleep", "30"},
                  portal.dir().file("flock.log"));
    for (int i = 0;
         i < 100 && run({"flock", "-n", portal.database() + ".sync-lock", "true"}).exit_code == 0;
         ++i)
      usleep(20000);
  } else {
    auto taken = ps::take_database_run_lock(portal.url());
    REQUIRE_OK(taken);
    session_lock = std::move(taken.value());
  }
  auto r = portal.portalsync({"sync", "--once"});
  if (flock) stop(*flock, SIGTERM, 5);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("another sync is running on") &&
                        Catch::Contains("; wait for it to finish"));
  CHECK(count_users(slapd, portal.base_dn()) == 0);
}

// Regression (issue 15): a username with a newline was rejected, and its reason, logged with the
// raw name, put a line of the portal's choosing into the journal ("<3>..." is how a program tells
// journald a line is an error). Under systemd (JOURNAL_STREAM set) every stderr line must carry the
// priority the program gave it, and no output line may start with the row's text.
TEST_CASE("a name with a newline cannot start a log line of its own", "[cli][sync][log]") {
  SlapdServer slapd;
  PortalFixture portal(slapd);
  portal.seed_small_tree();
  portal.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES "
      "(30, 'evil' || char(10) || '<2>forged: root password changed' || char(13) || char(27) || "
      "'[2J', '惡意', 2, 'enabled')");
  auto r = run({bin("portalsync"), "sync", "--once", "-c", portal.config()}, "", 300,
               {{"JOURNAL_STREAM", "8:12345"}});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(
      r.err,
      Catch::Contains("rejected account 30 (evil\\n<2>forged: root password changed\\r\\x1b[2J)"));
  CHECK_THAT(r.out, Catch::Contains("evil\\n<2>forged"));
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    INFO(line);
    CHECK(line.size() >= 3);
    CHECK(line[0] == '<');
    bool forged_line =
        line.find("forged") != std::string::npos && line.rfind("<4>rejected account 30", 0) != 0;
    CHECK_FALSE(forged_line);
    CHECK(line.find('\r') == std::string::npos);
    CHECK(line.find('\x1b') == std::string::npos);
  }
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    INFO(line);
    CHECK(line.rfind("<2>", 0) != 0);
    CHECK(line.find('\x1b') == std::string::npos);
  }
  CHECK(count_users(slapd, portal.base_dn()) == 5);
}
