// A portal whose unit names carry every character a DN must escape (RFC 4514: ; = , + a leading
// #, \ " < > and leading/trailing spaces) and Chinese, each unit with an account that is the
// custodian of a shared account there (so manager carries the escapes) and, through a grant on
// the top unit, a member of one entitlement group. Shared by the slapd and Samba convergence
// tests: whatever each server does to the escapes, a second plan must be empty.
#pragma once

#include <string>
#include <vector>

namespace ps::testing {

inline const std::vector<std::string>& hostile_unit_names() {
  static const std::vector<std::string> names = {";局",
                                                 "=處",
                                                 ",科",
                                                 "+組",
                                                 "#首",
                                                 "後\\室",
                                                 "\"引號\"",
                                                 "<角>",
                                                 " 前後空白 ",
                                                 "中文單位",
                                                 " #局,+\"\\<>;=處 "};
  return names;
}

// SQL for the portal: unit 1 (top, 敵意測試) and one unit per hostile name (ids 2..), with
// <prefix>.c<id> (enabled) as custodian of <prefix>.box<id>; system 1 (group <prefix>-hostile)
// granted to the top unit.
inline std::string hostile_units_sql(const std::string& prefix) {
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  };
  std::string sql =
      "INSERT INTO org_units(id, parent_id, code, name) VALUES (1, NULL, 'HX', '敵意測試');"
      "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'HX', '敵意系統', '" +
      prefix + "-hostile');INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (1, 1);";
  int id = 2;
  for (const auto& name : hostile_unit_names()) {
    auto n = std::to_string(id);
    sql += "INSERT INTO org_units(id, parent_id, code, name) VALUES (" + n + ", 1, 'HX" + n +
           "', " + quote(name) + ");";
    sql += "INSERT INTO accounts(id, username, display_name, org_unit_id, status) VALUES (" + n +
           ", '" + prefix + ".c" + n + "', '保管人" + n + "', " + n + ", 'enabled');";
    sql +=
        "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, "
        "custodian_id) VALUES (" +
        n + ", '" + prefix + ".box" + n + "', 'mail', '信箱" + n + "', " + n + ", " + n + ");";
    ++id;
  }
  return sql;
}

}  // namespace ps::testing
