#include "tests/support/portal_fixture.h"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "core/clock.h"
#include "store/database.h"
#include "store/schema.h"
#include "tests/support/sqlite_file.h"

namespace ps::testing {

PortalBackend test_portal_backend() {
  const char* portal = std::getenv("PS_TEST_PORTAL");
  std::string name = portal ? portal : "";
  if (name == "postgresql") return PortalBackend::postgresql;
  if (name == "mariadb") return PortalBackend::mariadb;
  if (!name.empty() && name != "sqlite")
    throw std::runtime_error("PS_TEST_PORTAL=" + name + ": sqlite, postgresql or mariadb");
  return PortalBackend::sqlite;
}

std::string utc_in(long long seconds) {
  return format_utc(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

namespace {

// The portal creates its interface tables itself (the store's DDL stands in for its own).
void portal_creates_its_tables(const std::string& owner_url) {
  if (auto st = create_interface_tables(owner_url); !st)
    throw std::runtime_error("interface tables: " + st.message());
}

}  // namespace

void PortalFixture::init_database() {
  switch (backend_) {
    case PortalBackend::sqlite:
      db_ = dir_.file("portal.db");
      url_ = "sqlite3://db=" + db_;
      break;
    case PortalBackend::postgresql:
      postgres_ = std::make_unique<PostgresDatabase>(portal_creates_its_tables);
      url_ = postgres_->url();
      break;
    case PortalBackend::mariadb:
      mariadb_ = std::make_unique<MariadbDatabase>(portal_creates_its_tables);
      url_ = mariadb_->url();
      break;
  }
  auto init = run({bin("portalsync"), "db", "init", "--database", url_});
  if (init.exit_code != 0) throw std::runtime_error("db init failed: " + init.err);
}

std::string PortalFixture::superuser_url() const {
  if (postgres_) return postgres_->url("postgres");
  return mariadb_ ? mariadb_->url("root") : url_;
}

std::string PortalFixture::portal_url() const {
  if (postgres_) return postgres_->url("portal_owner");
  return mariadb_ ? mariadb_->url("portal_owner") : url_;
}

PortalFixture::PortalFixture(const SambaDc& dc, std::string base_dn, const std::string& extra_yaml)
    : base_dn_(std::move(base_dn)) {
  init_database();
  config_ = dir_.file("portalsync.yaml");
  write_file(config_, "portal:\n  database: \"" + url_ + "\"\ndirectory:\n" +
                          "  flavor: ad\n  url: \"" + dc.url + "\"\n  ca_file: \"" + dc.ca_file +
                          "\"\n  bind_dn: \"" + dc.admin_dn + "\"\n  bind_password_file: \"" +
                          dc.password_file + "\"\n  base_dn: \"" + base_dn_ + "\"\n" +
                          "  upn_suffix: portal.test\n" + extra_yaml);
}

PortalFixture::PortalFixture(const SlapdServer& slapd, const std::string& extra_yaml) {
  init_database();
  config_ = dir_.file("portalsync.yaml");
  write_file(config_, "portal:\n  database: \"" + url_ +
                          "\"\n"
                          "directory:\n  url: \"" +
                          slapd.url() +
                          "\"\n  tls: none\n  allow_insecure: true\n"
                          "  bind_dn: \"" +
                          slapd.admin_dn() + "\"\n  bind_password_file: \"" +
                          slapd.password_file() + "\"\n  base_dn: \"" + base_dn() + "\"\n" +
                          extra_yaml);
}

void PortalFixture::exec(const std::string& sql) const {
  if (postgres_)
    postgres_->psql("SET ROLE portal_owner; " + sql);
  else if (mariadb_)  // the tests' SQL is standard SQL: '\' is no escape, || concatenates
    mariadb_->sql_as("portal_owner",
                     "SET SESSION sql_mode = CONCAT(@@sql_mode, "
                     "',NO_BACKSLASH_ESCAPES,PIPES_AS_CONCAT'); " +
                         sql);
  else
    sqlite_exec(db_, sql);
}

std::string PortalFixture::query_one(const std::string& sql) const {
  if (backend_ == PortalBackend::sqlite) return sqlite_query_one(db_, sql);
  // The store's own session set-up puts portalsync's tables first (a schema, a database).
  auto session = open_database(superuser_url(), true);
  if (!session) throw std::runtime_error(session.error());
  soci::rowset<soci::row> rows = (session.value()->prepare << sql);
  for (const auto& r : rows) return column_text(r, 0);
  return "";
}

void PortalFixture::tamper(const std::string& sql) const {
  if (backend_ == PortalBackend::sqlite) return sqlite_exec(db_, sql);
  auto session = open_database(superuser_url(), true);
  if (!session) throw std::runtime_error(session.error());
  *session.value() << sql;
}

RunResult PortalFixture::portalsync(std::vector<std::string> args, const std::string& input) const {
  args.insert(args.begin(), bin("portalsync"));
  args.push_back("-c");
  args.push_back(config_);
  return run(args, input, 300);
}

RunResult PortalFixture::sample(int accounts, int units) const {
  return run({bin("portalsync"), "db", "sample", "--database", portal_url(), "--accounts",
              std::to_string(accounts), "--units", std::to_string(units)},
             "", 300);
}

void PortalFixture::seed_small_tree(const std::string& username_prefix) const {
  const auto signed_in = "'" + utc_in(-5 * 86400) + "'";
  exec(R"(
    INSERT INTO org_units(id, parent_id, code, name) VALUES
      (1, NULL, 'A00', '臺南市政府'), (2, 1, 'A01', '民政局'), (3, 2, 'A01-1', '戶政科'),
      (4, 1, 'A02', '教育局');
    INSERT INTO accounts(id, username, display_name, surname, given_name, title, org_unit_id, role,
                         status, email, office_phone, national_id, last_login_at) VALUES
      (1, 'chen.yating', '陳雅婷', '陳', '雅婷', '科員', 3, 'agency_admin', 'enabled',
       'chen.yating@tainan.gov.tw', '06-2991111#1234', 'D223456789', )" +
       signed_in + R"(),
      (2, 'lin.wei', '林威', '林', '威', '科長', 3, 'user', 'enabled', NULL, NULL, 'R123456780',
       )" +
       signed_in + R"(),
      (3, 'wang.xm', '王小明', '王', '小明', NULL, 2, 'agency_admin', 'enabled', NULL, NULL, NULL,
       )" +
       signed_in + R"(),
      (4, 'huang.pending', '黃待審', '黃', '待審', NULL, 4, 'agency_admin', 'pending', NULL, NULL,
       NULL, NULL),
      (5, 'tsai.left', '蔡離職', '蔡', '離職', NULL, 4, 'user', 'disabled', NULL, NULL, NULL,
       )" +
       signed_in + R"();
  )");
  if (username_prefix.empty()) return;
  for (auto [from, to] : {std::pair{"chen.yating", "chen"},
                          {"lin.wei", "lin"},
                          {"wang.xm", "wang"},
                          {"huang.pending", "pending"},
                          {"tsai.left", "left"}})
    exec("UPDATE accounts SET username = '" + username_prefix + "." + to + "' WHERE username = '" +
         from + "'");
}

bool PortalFixture::plan_is_empty() const {
  auto plan = portalsync({"plan", "--json"});
  return plan.ok() && plan.out.find("\"operations\":[]") != std::string::npos;
}

}  // namespace ps::testing
