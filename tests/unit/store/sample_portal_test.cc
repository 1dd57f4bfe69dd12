// The sample portal: sized as asked, deterministic per seed, and realistic where the engine
// cares (unique usernames and codes, a three-level tree with unique sibling names, custodians in
// their shared account's unit, valid national IDs, timestamps with an offset).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/handover.h"
#include "core/lifecycle.h"
#include "core/portal_lookup.h"
#include "store/sample/sample_people.h"
#include "store/sample/sample_portal.h"
#include "store/sample/sample_tree.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

// Checked independently of the generator: letter code, then weights 1 9 8 7 6 5 4 3 2 1 1.
bool valid_national_id(std::string_view id) {
  static const std::string kOrder = "ABCDEFGHJKLMNPQRSTUVXYWZIO";  // codes 10, 11, ... 35
  if (id.size() != 10 || kOrder.find(id[0]) == std::string::npos) return false;
  if (id[1] != '1' && id[1] != '2') return false;
  int code = 10 + static_cast<int>(kOrder.find(id[0]));
  int sum = code / 10 + (code % 10) * 9;
  for (int i = 1; i <= 9; ++i) {
    if (id[static_cast<std::size_t>(i)] < '0' || id[static_cast<std::size_t>(i)] > '9')
      return false;
    sum += (id[static_cast<std::size_t>(i)] - '0') * (i == 9 ? 1 : 9 - i);
  }
  return sum % 10 == 0;
}

PortalSnapshot write_sample(StoreTestDb& db, int accounts, int units, unsigned seed = 1) {
  SampleOptions options;
  options.accounts = accounts;
  options.units = units;
  options.seed = seed;
  REQUIRE_OK(write_sample_portal(db.url, options));
  auto p = db.store->load_snapshot();
  REQUIRE_OK(p);
  return std::move(p.value());
}

}  // namespace

TEST_CASE("national IDs carry a valid check digit", "[store][sample]") {
  CHECK(valid_national_id("A123456789"));
  CHECK_FALSE(valid_national_id("A123456788"));
  CHECK(sample::national_id_with_check('A', "12345678") == "A123456789");
  CHECK(valid_national_id(sample::national_id_with_check('D', "22345678")));
  CHECK(valid_national_id(sample::national_id_with_check('I', "10000000")));
}

TEST_CASE("the sample is sized as asked and the same for the same seed", "[store][sample]") {
  StoreTestDb a, b, c;
  auto pa = write_sample(a, 500, 60);
  auto pb = write_sample(b, 500, 60);
  auto pc = write_sample(c, 500, 60, 2);
  REQUIRE(pa.accounts.size() == 500);
  REQUIRE(pa.units.size() == 60);
  CHECK(pa.shared_accounts.size() == 6);
  CHECK(pa.systems.size() == 5);
  REQUIRE(pb.accounts.size() == 500);
  for (std::size_t i = 0; i < 500; ++i) {
    CHECK(pa.accounts[i].username() == pb.accounts[i].username());
    CHECK(pa.accounts[i].national_id() == pb.accounts[i].national_id());
    CHECK(pa.accounts[i].last_login_at() == pb.accounts[i].last_login_at());
  }
  CHECK(a.query_one("SELECT group_concat(custodian_id) FROM shared_accounts") ==
        b.query_one("SELECT group_concat(custodian_id) FROM shared_accounts"));
  int same = 0;
  for (std::size_t i = 0; i < 500; ++i)
    same += pa.accounts[i].username() == pc.accounts[i].username();
  CHECK(same < 50);  // another seed, other people
}

TEST_CASE("sample usernames, national IDs and unit codes are unique and well-formed",
          "[store][sample]") {
  StoreTestDb db;
  auto p = write_sample(db, 3000, 200);
  std::set<std::string> usernames, ids;
  for (const auto& a : p.accounts) {
    CHECK(usernames.emplace(a.username()).second);
    CHECK(ids.emplace(a.national_id()).second);
    if (!valid_national_id(a.national_id())) FAIL_CHECK("invalid national ID for " << a.username());
    CHECK(a.display_name() == std::string(a.surname()) + std::string(a.given_name()));
    CHECK(a.email() == std::string(a.username()) + "@tainan.gov.tw");
    CHECK(a.username().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.") ==
          std::string::npos);
    CHECK(a.office_phone().rfind("06-", 0) == 0);
    CHECK((a.mobile().empty() || (a.mobile().size() == 10 && a.mobile().rfind("09", 0) == 0)));
  }
  std::set<std::string> codes;
  for (const auto& u : p.units) CHECK(codes.insert(u.code).second);
  CHECK(codes.count("A00"));
  CHECK(codes.count("A01"));
  CHECK(codes.count("A01-001"));
  for (const auto& s : p.shared_accounts) CHECK_FALSE(usernames.count(s.username));
}

TEST_CASE("the sample tree is three levels deep with unique sibling names", "[store][sample]") {
  for (int wanted : {3, 20, 40, 2000}) {
    auto units = sample::build_tree(wanted);
    REQUIRE(static_cast<int>(units.size()) == wanted);
    std::map<long long, const sample::Unit*> by_id;
    std::set<std::pair<long long, std::string>> siblings;
    for (const auto& u : units) {
      by_id[u.id] = &u;
      CHECK(siblings.insert({u.parent, u.name}).second);
      CHECK(u.level == (u.parent == 0 ? 1 : by_id.at(u.parent)->level + 1));
      CHECK(u.level <= 3);
    }
    CHECK(units[0].name == "臺南市政府");
    CHECK(units[1].name == "民政局");
  }
  auto big = sample::build_tree(2000);
  auto named = [&](const std::string& name) {
    return std::count_if(big.begin(), big.end(), [&](const auto& u) { return u.name == name; });
  };
  CHECK(named("戶政科") == 1);
  CHECK(named("東區公所") == 1);
  CHECK(named("臺南市立建興國民中學") == 1);
  CHECK(std::count_if(big.begin(), big.end(), [](const auto& u) {
          return u.workplace == sample::Workplace::school;
        }) > 300);
}

TEST_CASE("sample accounts have a realistic mix and consistent references", "[store][sample]") {
  StoreTestDb db;
  auto p = write_sample(db, 4000, 120);
  std::map<long long, const OrgUnit*> units;
  for (const auto& u : p.units) units[u.id] = &u;
  std::map<long long, const Account*> accounts;
  std::map<std::string, int> status, role;
  for (const auto& a : p.accounts) {
    accounts[a.id] = &a;
    ++status[std::string(a.status())];
    ++role[std::string(a.role())];
    REQUIRE(units.count(a.org_unit_id));
    CHECK(units[a.org_unit_id]->parent_id);  // nobody sits in the root
    if (a.status() == "disabled") CHECK_FALSE(a.disabled_reason().empty());
    if (a.status() == "pending") CHECK(a.last_login_at().empty());
    if (a.status() != "enabled") CHECK(a.role() == "user");
    for (auto t : {a.last_login_at(), a.activated_at(), a.updated_at()}) {
      if (t.empty()) continue;
      CHECK(t.size() == 25);
      CHECK(t.substr(19) == "+08:00");
      auto at = parse_timestamp(t);
      REQUIRE(at);
      CHECK(*at <= SampleOptions{}.now);
      CHECK(*at > SampleOptions{}.now - std::chrono::hours(24 * 366));
    }
  }
  CHECK(status["enabled"] > 4000 * 80 / 100);
  CHECK(status["enabled"] < 4000 * 90 / 100);
  CHECK(status["disabled"] > 4000 * 5 / 100);
  CHECK(status["pending"] > 4000 * 4 / 100);
  CHECK(role["system_admin"] == 2);
  CHECK(role["agency_admin"] >= 30);
  CHECK(role["agency_admin"] <= 120);
  for (const auto& s : p.shared_accounts) {
    REQUIRE(accounts.count(s.custodian_id));
    CHECK(accounts[s.custodian_id]->org_unit_id == s.org_unit_id);
    CHECK(accounts[s.custodian_id]->status() == "enabled");
    CHECK((s.kind == "agency" || s.kind == "mail"));
  }
  CHECK(p.systems.at(2).group_name == "sys-mail");
  CHECK_FALSE(p.unit_systems.empty());
  CHECK_FALSE(p.account_systems.empty());
}

TEST_CASE("the sample goes only into an initialised, empty database", "[store][sample]") {
  StoreTestDb db;
  db.seed_one_account();
  auto full = write_sample_portal(db.url, SampleOptions{});
  REQUIRE_FALSE(full);
  CHECK(full.message() == "portal database " + db.path +
                              " already holds 1 accounts; the sample goes into an empty one");
  db.exec("DELETE FROM accounts");
  auto units = write_sample_portal(db.url, SampleOptions{});
  REQUIRE_FALSE(units);
  CHECK_THAT(units.message(), Catch::Contains("already holds 1 org units"));

  TempDir dir;
  auto missing = write_sample_portal("sqlite3://db=" + dir.file("none.db"), SampleOptions{});
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.message(),
             Catch::Contains("does not exist: create it with `portalsync db init"));
}

TEST_CASE("the sample's reserved changes fall due in the coming week, one blocked by custody",
          "[store][sample]") {
  StoreTestDb db;
  auto p = write_sample(db, 300, 40);
  auto changes = db.store->load_scheduled_changes();
  REQUIRE_OK(changes);
  REQUIRE(changes->size() == 4);
  auto now = SampleOptions{}.now;
  std::map<std::string, int> kinds;
  int blocked = 0;
  for (const auto& c : changes.value()) {
    INFO(c.kind << " of " << c.account_id << " at " << c.effective_at);
    CHECK(c.state == ChangeState::pending);
    CHECK(malformed_change(c).empty());
    auto at = parse_timestamp(c.effective_at);
    REQUIRE(at);
    CHECK(*at > now);
    CHECK(*at < now + std::chrono::hours(24 * 7));
    CHECK(c.effective_at.substr(10) == "T08:00:00+08:00");
    ++kinds[c.kind];
    const auto* account = find_account(p, c.account_id);
    REQUIRE(account);
    CHECK(account->status() == "enabled");
    auto problems = handover_problems(p, *account);
    if (c.kind == "disable" && !problems.empty()) {
      ++blocked;
      CHECK_THAT(join_problems(problems), Catch::Contains("custodian"));
    }
  }
  CHECK(kinds == std::map<std::string, int>{{"disable", 2}, {"set_role", 1}, {"transfer", 1}});
  CHECK(blocked == 1);
  CHECK(due_changes(changes.value(), now).empty());
}

TEST_CASE("a sample too small for reserved changes has fewer of them", "[store][sample]") {
  StoreTestDb db;
  write_sample(db, 0, 3);
  CHECK(db.query_one("SELECT count(*) FROM scheduled_changes") == "0");
}
