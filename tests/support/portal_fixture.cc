#include "tests/support/portal_fixture.h"

#include <stdexcept>

#include "tests/support/sqlite_file.h"

namespace ps::testing {

void PortalFixture::init_database() {
  db_ = dir_.file("portal.db");
  auto init = run({bin("portalsync"), "db", "init", "--database", "sqlite3://db=" + db_});
  if (init.exit_code != 0) throw std::runtime_error("db init failed: " + init.err);
}

PortalFixture::PortalFixture(const SambaDc& dc, std::string base_dn, const std::string& extra_yaml)
    : base_dn_(std::move(base_dn)) {
  init_database();
  config_ = dir_.file("portalsync.yaml");
  write_file(config_, "portal:\n  database: \"sqlite3://db=" + db_ + "\"\ndirectory:\n" +
                          "  flavor: ad\n  url: \"" + dc.url + "\"\n  ca_file: \"" + dc.ca_file +
                          "\"\n  bind_dn: \"" + dc.admin_dn + "\"\n  bind_password_file: \"" +
                          dc.password_file + "\"\n  base_dn: \"" + base_dn_ + "\"\n" +
                          "  upn_suffix: portal.test\n" + extra_yaml);
}

PortalFixture::PortalFixture(const SlapdServer& slapd, const std::string& extra_yaml) {
  init_database();
  config_ = dir_.file("portalsync.yaml");
  write_file(config_, "portal:\n  database: \"sqlite3://db=" + db_ +
                          "\"\n"
                          "directory:\n  url: \"" +
                          slapd.url() +
                          "\"\n  tls: none\n  allow_insecure: true\n"
                          "  bind_dn: \"" +
                          slapd.admin_dn() + "\"\n  bind_password_file: \"" +
                          slapd.password_file() + "\"\n  base_dn: \"" + base_dn() + "\"\n" +
                          extra_yaml);
}

void PortalFixture::exec(const std::string& sql) const { sqlite_exec(db_, sql); }

std::string PortalFixture::query_one(const std::string& sql) const {
  return sqlite_query_one(db_, sql);
}

RunResult PortalFixture::portalsync(std::vector<std::string> args, const std::string& input) const {
  args.insert(args.begin(), bin("portalsync"));
  args.push_back("-c");
  args.push_back(config_);
  return run(args, input, 300);
}

void PortalFixture::seed_small_tree(const std::string& username_prefix) const {
  exec(R"(
    INSERT INTO org_units(id, parent_id, code, name) VALUES
      (1, NULL, 'A00', '臺南市政府'), (2, 1, 'A01', '民政局'), (3, 2, 'A01-1', '戶政科'),
      (4, 1, 'A02', '教育局');
    INSERT INTO accounts(id, username, display_name, surname, given_name, title, org_unit_id, role,
                         status, email, office_phone, national_id, last_login_at) VALUES
      (1, 'chen.yating', '陳雅婷', '陳', '雅婷', '科員', 3, 'agency_admin', 'enabled',
       'chen.yating@tainan.gov.tw', '06-2991111#1234', 'D223456789', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-5 days')),
      (2, 'lin.wei', '林威', '林', '威', '科長', 3, 'user', 'enabled', NULL, NULL, 'R123456780',
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-5 days')),
      (3, 'wang.xm', '王小明', '王', '小明', NULL, 2, 'agency_admin', 'enabled', NULL, NULL, NULL,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-5 days')),
      (4, 'huang.pending', '黃待審', '黃', '待審', NULL, 4, 'agency_admin', 'pending', NULL, NULL,
       NULL, NULL),
      (5, 'tsai.left', '蔡離職', '蔡', '離職', NULL, 4, 'user', 'disabled', NULL, NULL, NULL,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-5 days'));
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
