// Loading the interface tables: every column, NULLs as empty, Chinese text, and bad rows loaded
// as they are so the engine can reject them with a reason.
#include <catch2/catch.hpp>

#include "store/row_reader.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

TEST_CASE("every account column loads, NULL text as empty", "[store][contract]") {
  StoreTestDb db;
  db.exec(
      "INSERT INTO org_units(id, parent_id, code, name, active) VALUES "
      "(1, NULL, 'A00', '臺南市政府', 1), (2, 1, 'A01', '民政局', 0)");
  db.exec(
      "INSERT INTO accounts VALUES (10, 'chen.yating', '陳雅婷', '陳', '雅婷', '科員', 2, "
      "'agency_admin', 'enabled', 1, 'chen.yating@tainan.gov.tw', 1, '06-2991111#1234', "
      "'0912345678', 'D223456789', '2026-11-20T09:00:00+08:00', '2025-12-01T08:30:00+08:00', "
      "'離職', '2026-11-21T10:00:00+08:00')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id) VALUES (11, 'lin', '林', 1)");
  auto p = db.store->load_snapshot();
  REQUIRE_OK(p);
  REQUIRE(p->units.size() == 2);
  CHECK_FALSE(p->units[0].parent_id);
  CHECK(p->units[1].parent_id == 1);
  CHECK(p->units[1].code == "A01");
  CHECK(p->units[1].name == "民政局");
  CHECK_FALSE(p->units[1].active);

  REQUIRE(p->accounts.size() == 2);
  const auto& a = p->accounts[0];
  CHECK(a.id == 10);
  CHECK(a.username() == "chen.yating");
  CHECK(a.display_name() == "陳雅婷");
  CHECK(a.surname() == "陳");
  CHECK(a.given_name() == "雅婷");
  CHECK(a.title() == "科員");
  CHECK(a.org_unit_id == 2);
  CHECK(a.role() == "agency_admin");
  CHECK(a.status() == "enabled");
  CHECK(a.locked);
  CHECK(a.email() == "chen.yating@tainan.gov.tw");
  CHECK(a.needs_mail);
  CHECK(a.office_phone() == "06-2991111#1234");
  CHECK(a.mobile() == "0912345678");
  CHECK(a.national_id() == "D223456789");
  CHECK(a.last_login_at() == "2026-11-20T09:00:00+08:00");
  CHECK(a.activated_at() == "2025-12-01T08:30:00+08:00");
  CHECK(a.disabled_reason() == "離職");
  CHECK(a.updated_at() == "2026-11-21T10:00:00+08:00");

  const auto& b = p->accounts[1];  // the defaults and NULLs
  CHECK(b.role() == "user");
  CHECK(b.status() == "pending");
  CHECK_FALSE(b.locked);
  CHECK_FALSE(b.needs_mail);
  for (auto text :
       {b.surname(), b.given_name(), b.title(), b.email(), b.office_phone(), b.mobile(),
        b.national_id(), b.last_login_at(), b.activated_at(), b.disabled_reason(), b.updated_at()})
    CHECK(text.empty());
}

TEST_CASE("bad rows load as stored, for the engine to reject with a reason", "[store]") {
  StoreTestDb db;
  db.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '市府'), "
      "(2, 99, 'A99', '孤兒'), (3, 3, 'A03', '自己')");
  db.exec(
      "INSERT INTO accounts(id, username, display_name, org_unit_id, role, status) VALUES "
      "(1, 'frozen', '凍', 1, 'user', 'frozen'), (2, 'lost', '失', 42, 'user', 'enabled'), "
      "(3, 'boss', '王', 1, 'root', 'enabled'), (4, 'odd', '怪', 'A00', 'user', 'enabled'), "
      "(5, '', '', 1, '', '')");
  auto p = db.store->load_snapshot();
  REQUIRE_OK(p);
  REQUIRE(p->units.size() == 3);
  CHECK(p->units[1].parent_id == 99);
  CHECK(p->units[2].parent_id == 3);
  REQUIRE(p->accounts.size() == 5);
  CHECK(p->accounts[0].status() == "frozen");
  CHECK(p->accounts[1].org_unit_id == 42);
  CHECK(p->accounts[2].role() == "root");
  CHECK(p->accounts[3].org_unit_id == 0);  // text in an integer column: no unit 0, rejected later
  CHECK(p->accounts[4].username().empty());
}

TEST_CASE("shared accounts, systems and grants load", "[store][contract]") {
  StoreTestDb db;
  db.seed_one_account();
  db.exec(
      "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, custodian_id) "
      "VALUES (3, 'office.a00', 'agency', '市府公務帳號', 1, 1)");
  db.exec("INSERT INTO systems VALUES (1, 'edoc', '公文系統', 'sys-edoc')");
  db.exec("INSERT INTO org_unit_systems VALUES (1, 1)");
  db.exec("INSERT INTO account_systems VALUES (1, 1)");
  auto p = db.store->load_snapshot();
  REQUIRE_OK(p);
  REQUIRE(p->shared_accounts.size() == 1);
  const auto& s = p->shared_accounts[0];
  CHECK(s.id == 3);
  CHECK(s.username == "office.a00");
  CHECK(s.kind == "agency");
  CHECK(s.display_name == "市府公務帳號");
  CHECK(s.org_unit_id == 1);
  CHECK(s.custodian_id == 1);
  CHECK(s.status == "enabled");
  REQUIRE(p->systems.size() == 1);
  CHECK(p->systems[0].name == "公文系統");
  CHECK(p->systems[0].group_name == "sys-edoc");
  REQUIRE(p->unit_systems.size() == 1);
  CHECK(p->unit_systems[0].holder_id == 1);
  REQUIRE(p->account_systems.size() == 1);
  CHECK(p->account_systems[0].system_id == 1);
}

TEST_CASE("the native SQLite reader and the portable SOCI reader read the same values",
          "[store][contract]") {
  StoreTestDb db;
  db.exec(
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'A00', '臺南市政府'), "
      "(2, 1, 'A01', '民政局'), (3, 1, '', '')");
  auto query = "SELECT id, parent_id, code, name, active FROM org_units ORDER BY id";
  auto native = read_rows(db.store->session(), query);
  auto portable = read_rows_portably(db.store->session(), query);
  int rows = 0;
  while (native->next()) {
    REQUIRE(portable->next());
    ++rows;
    CHECK(native->integer(0) == portable->integer(0));
    CHECK(native->nullable(1) == portable->nullable(1));
    CHECK(native->integer(1) == portable->integer(1));
    CHECK(native->text(2) == portable->text(2));
    CHECK(native->text(3) == portable->text(3));
    CHECK(native->integer(4) == portable->integer(4));
  }
  CHECK_FALSE(portable->next());
  CHECK(rows == 3);
}

TEST_CASE("the native reader reads booleans, NULLs, negatives and Chinese as SOCI does",
          "[store][contract]") {
  // PostgreSQL's native reader reads libpq's text in place: 't' for a boolean (a portal may
  // declare its flags BOOLEAN), the empty string for NULL.
  StoreTestDb db;
  auto query =
      "SELECT 1 = 1, 1 = 0, CAST(NULL AS CHAR(1)), '臺南市政府', -42, '', 9007199254740993";
  auto native = read_rows(db.store->session(), query);
  auto portable = read_rows_portably(db.store->session(), query);
  REQUIRE(native->next());
  REQUIRE(portable->next());
  CHECK(native->integer(0) == 1);
  CHECK(native->integer(1) == 0);
  CHECK(native->nullable(2) == std::nullopt);
  CHECK(native->text(2) == "");
  CHECK(native->text(3) == "臺南市政府");
  CHECK(native->integer(4) == -42);
  CHECK(native->text(5) == "");
  CHECK(native->integer(6) == 9007199254740993LL);
  for (int c : {0, 1, 4, 6}) CHECK(native->integer(c) == portable->integer(c));
  for (int c : {2, 3, 5}) CHECK(native->text(c) == portable->text(c));
  CHECK_FALSE(native->next());
}

TEST_CASE("a query the database cannot run is an error value naming the database",
          "[store][contract]") {
  StoreTestDb db;
  db.portal_ddl("DROP TABLE account_systems");
  auto p = db.store->load_snapshot();
  REQUIRE_FALSE(p);
  CHECK_THAT(p.error(), Catch::StartsWith("portal database " + db.label() +
                                          ": cannot read the interface tables: "));
  CHECK_THAT(p.error(), Catch::Contains("no such table: account_systems") ||
                            Catch::Contains("relation \"account_systems\" does not exist") ||
                            Catch::Contains("account_systems' references invalid table"));
}

// Regression (issue 15): the portable reader kept each view's text in a vector it grew column by
// column, so the views of one row handed out before a growth pointed into freed memory (short
// strings live inside the vector). Fifteen short columns, all views held until the end.
TEST_CASE("the portable reader's views of one row stay valid together (15 short columns)",
          "[store][contract]") {
  StoreTestDb db;
  std::string query = "SELECT ";
  for (int c = 0; c < 15; ++c) query += (c ? ", 'v" : "'v") + std::to_string(c) + "'";
  auto portable = read_rows_portably(db.store->session(), query);
  REQUIRE(portable->next());
  std::vector<std::string_view> views;
  for (int c = 0; c < 15; ++c) views.push_back(portable->text_view(c));
  for (int c = 0; c < 15; ++c) CHECK(std::string(views[c]) == "v" + std::to_string(c));
  CHECK_FALSE(portable->next());
}
