#include "core/portal_validation.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "core/text.h"

namespace ps {

namespace {

constexpr std::size_t kMaxUsernameLength = 64;

std::string unit_label(const OrgUnit& u) {
  return "unit " + std::to_string(u.id) + " (" + u.code + " " + u.name + ")";
}

std::string account_label(const Account& a) {
  return "account " + std::to_string(a.id) + " (" + std::string(a.username()) + ")";
}

bool has_control_character(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// The first text field that is not valid UTF-8, or "".
std::string invalid_utf8_field(const Account& a) {
  const std::pair<const char*, std::string_view> fields[] = {{"username", a.username()},
                                                             {"display_name", a.display_name()},
                                                             {"surname", a.surname()},
                                                             {"given_name", a.given_name()},
                                                             {"title", a.title()},
                                                             {"email", a.email()},
                                                             {"office_phone", a.office_phone()},
                                                             {"mobile", a.mobile()},
                                                             {"national_id", a.national_id()}};
  for (const auto& [name, value] : fields)
    if (!is_valid_utf8(value)) return name;
  return "";
}

struct UnitChecker {
  const PortalSnapshot& portal;
  ValidatedPortal& out;
  // 0 unvisited, 1 on the current path, 2 valid, 3 rejected
  std::vector<int> state;
  std::vector<int> depth;
  std::optional<std::size_t> cycle_start;  // set while unwinding the members of a detected cycle
  // Each valid unit's nearest agency ancestor-or-self, when it has one.
  std::vector<std::optional<std::size_t>> agency;

  std::string own_problem(const OrgUnit& u) {
    if (!is_valid_utf8(u.name)) return "name is not valid UTF-8";
    if (!is_valid_utf8(u.code)) return "code is not valid UTF-8";
    if (u.code.empty()) return "code is empty";
    if (u.name.find_first_not_of(' ') == std::string::npos) return "name is empty";
    if (has_control_character(u.name)) return "name contains a control character";
    return "";
  }

  // An agency's level must be 1 or more and deeper than its parent agency's (a first-level
  // agency's second-level agencies are 2 or deeper); `parent_agency`: the parent's nearest agency.
  std::string level_problem(const OrgUnit& u, std::optional<std::size_t> parent_agency) {
    if (!u.is_agency) return "";
    if (u.agency_level < 1)
      return "agency_level " + std::to_string(u.agency_level) + " is not 1 or more";
    if (!parent_agency) return "";
    const auto& above = portal.units[*parent_agency];
    if (u.agency_level > above.agency_level) return "";
    return "agency_level " + std::to_string(u.agency_level) + " is not deeper than level " +
           std::to_string(above.agency_level) + " of its parent agency, " + unit_label(above);
  }

  void accept(std::size_t i, int unit_depth, std::optional<std::size_t> parent_agency) {
    depth[i] = unit_depth;
    agency[i] = portal.units[i].is_agency ? std::optional<std::size_t>(i) : parent_agency;
    state[i] = 2;
  }

  void reject(std::size_t i, std::string reason) {
    state[i] = 3;
    const auto& u = portal.units[i];
    out.rejected.push_back({ObjectKind::org_unit, u.id, u.name, unit_label(u) + ": " + reason});
  }

  // Depth-first up the parent chain; a unit is valid when it and all its ancestors are.
  void check(std::size_t i) {
    if (state[i] >= 2) return;
    const auto& u = portal.units[i];
    if (auto problem = own_problem(u); !problem.empty()) return reject(i, problem);
    if (!u.parent_id) {
      if (auto problem = level_problem(u, std::nullopt); !problem.empty())
        return reject(i, problem);
      return accept(i, 1, std::nullopt);
    }
    auto parent = out.unit_by_id.find(*u.parent_id);
    if (parent == out.unit_by_id.end())
      return reject(i, "parent unit " + std::to_string(*u.parent_id) + " does not exist");
    std::size_t p = parent->second;
    if (state[p] == 1) {
      cycle_start = p;
      return reject(i, "org-unit cycle: its parent chain leads back to itself");
    }
    state[i] = 1;
    check(p);
    if (cycle_start) {
      if (*cycle_start == i) cycle_start.reset();
      return reject(i, "org-unit cycle: its parent chain leads back to itself");
    }
    if (state[p] == 3)
      return reject(i, "its parent " + unit_label(portal.units[p]) + " was rejected");
    if (auto problem = level_problem(u, agency[p]); !problem.empty()) return reject(i, problem);
    accept(i, depth[p] + 1, agency[p]);
  }
};

std::string shared_label(const SharedAccount& s) {
  return "shared account " + std::to_string(s.id) + " (" + s.username + ")";
}

// Shared accounts sync like accounts; their usernames were reserved against accounts above.
void validate_shared_accounts(const PortalSnapshot& portal, const MappingOptions& mapping,
                              const std::vector<int>& unit_state, ValidatedPortal& out,
                              std::vector<char>& unit_holds_accounts) {
  std::unordered_map<std::string, RowId> usernames;
  std::unordered_set<RowId> valid_accounts;
  for (auto i : out.accounts) valid_accounts.insert(portal.accounts[i].id);
  for (std::size_t i = 0; i < portal.shared_accounts.size(); ++i) {
    const auto& s = portal.shared_accounts[i];
    auto reject = [&](const std::string& reason) {
      out.rejected.push_back(
          {ObjectKind::shared_account, s.id, s.username, shared_label(s) + ": " + reason});
    };
    auto unit = out.unit_by_id.find(s.org_unit_id);
    if (auto problem = username_problem(s.username, mapping); !problem.empty()) {
      reject(problem);
    } else if (!is_valid_utf8(s.display_name) ||
               s.display_name.find_first_not_of(' ') == std::string::npos) {
      reject("display_name is empty or not valid UTF-8");
    } else if (s.kind != "agency" && s.kind != "mail") {
      reject("kind \"" + s.kind + "\" is not one of agency, mail");
    } else if (!parse_account_status(s.status)) {
      reject("status \"" + s.status + "\" is not one of pending, enabled, disabled");
    } else if (unit == out.unit_by_id.end()) {
      reject("org unit " + std::to_string(s.org_unit_id) + " does not exist");
    } else if (unit_state[unit->second] != 2) {
      reject("its unit " + unit_label(portal.units[unit->second]) + " was rejected");
    } else if (auto [it, inserted] = usernames.emplace(to_lower_ascii(s.username), s.id);
               !inserted) {
      reject("username differs at most in letter case from shared account " +
             std::to_string(it->second));
    } else {
      if (!valid_accounts.count(s.custodian_id))
        out.warnings.push_back(shared_label(s) + ": custodian account " +
                               std::to_string(s.custodian_id) +
                               " is not in the directory; synced without manager");
      out.shared_accounts.push_back(i);
      unit_holds_accounts[unit->second] = 1;
    }
  }
}

}  // namespace

std::string username_problem(std::string_view username, const MappingOptions& mapping) {
  if (username.empty()) return "username is empty";
  if (!is_valid_utf8(username)) return "username is not valid UTF-8";
  if (has_control_character(username)) return "username contains a control character";
  if (username.front() == ' ' || username.back() == ' ')
    return "username has leading or trailing spaces";
  if (username.size() > kMaxUsernameLength)
    return "username is longer than " + std::to_string(kMaxUsernameLength) + " bytes";
  if (mapping.flavor == Flavor::ad) return ad_username_problem(username);
  return "";
}

ValidatedPortal validate_portal(const PortalSnapshot& portal, const MappingOptions& mapping) {
  ValidatedPortal out;
  const auto& units = portal.units;
  for (std::size_t i = 0; i < units.size(); ++i) {
    out.unit_by_id.emplace(units[i].id, i);
    out.agencies_marked = out.agencies_marked || units[i].is_agency;
  }

  UnitChecker checker{portal,
                      out,
                      std::vector<int>(units.size(), 0),
                      std::vector<int>(units.size(), 0),
                      std::nullopt,
                      std::vector<std::optional<std::size_t>>(units.size())};
  for (std::size_t i = 0; i < units.size(); ++i) checker.check(i);

  // Sibling names must differ (ou matches case-insensitively); the lower id keeps the name.
  std::vector<std::size_t> order(units.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return units[a].id < units[b].id; });
  std::unordered_map<std::string, std::size_t> sibling_names;
  for (auto i : order) {
    if (checker.state[i] != 2) continue;
    auto key = std::to_string(units[i].parent_id.value_or(0)) + "/" + to_lower_ascii(units[i].name);
    auto [it, inserted] = sibling_names.emplace(key, i);
    if (!inserted)
      checker.reject(i, "another unit under the same parent, " + unit_label(units[it->second]) +
                            ", already has this name");
  }
  // A unit rejected above may have children that were valid a moment ago.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (checker.state[i] != 2 || !units[i].parent_id) continue;
      auto p = out.unit_by_id.at(*units[i].parent_id);
      if (checker.state[p] == 3) {
        checker.reject(i, "its parent " + unit_label(units[p]) + " was rejected");
        changed = true;
      }
    }
  }

  std::unordered_map<std::string, RowId> shared_names;
  for (const auto& s : portal.shared_accounts)
    shared_names.emplace(to_lower_ascii(s.username), s.id);

  std::unordered_map<std::string, std::size_t> usernames;
  std::vector<std::size_t> account_order(portal.accounts.size());
  for (std::size_t i = 0; i < account_order.size(); ++i) account_order[i] = i;
  std::sort(account_order.begin(), account_order.end(),
            [&](auto a, auto b) { return portal.accounts[a].id < portal.accounts[b].id; });
  std::vector<char> unit_holds_accounts(units.size(), 0);
  for (auto i : account_order) {
    const auto& a = portal.accounts[i];
    auto reject = [&](const std::string& reason) {
      out.rejected.push_back(
          {ObjectKind::account, a.id, std::string(a.username()), account_label(a) + ": " + reason});
    };
    if (auto problem = username_problem(a.username(), mapping); !problem.empty()) {
      reject(problem);
      continue;
    }
    if (auto field = invalid_utf8_field(a); !field.empty()) {
      reject(field + " is not valid UTF-8");
      continue;
    }
    if (a.display_name().find_first_not_of(' ') == std::string::npos) {
      reject("display_name is empty");
      continue;
    }
    if (!parse_account_status(a.status())) {
      reject("status \"" + std::string(a.status()) + "\" is not one of pending, enabled, disabled");
      continue;
    }
    if (!parse_role(a.role())) {
      reject("role \"" + std::string(a.role()) +
             "\" is not one of user, agency_admin, system_admin");
      continue;
    }
    auto unit = out.unit_by_id.find(a.org_unit_id);
    if (unit == out.unit_by_id.end()) {
      reject("org unit " + std::to_string(a.org_unit_id) + " does not exist");
      continue;
    }
    if (checker.state[unit->second] != 2) {
      reject("its unit " + unit_label(units[unit->second]) + " was rejected");
      continue;
    }
    auto lower = to_lower_ascii(a.username());
    if (auto s = shared_names.find(lower); s != shared_names.end()) {
      reject("username is also used by shared account " + std::to_string(s->second));
      continue;
    }
    auto [it, inserted] = usernames.emplace(lower, i);
    if (!inserted) {
      reject("username differs only in letter case from " +
             account_label(portal.accounts[it->second]));
      continue;
    }
    for (const auto& [field, value] :
         {std::pair{"office_phone", a.office_phone()}, {"mobile", a.mobile()}})
      if (!value.empty() && directory_phone(value).empty())
        out.warnings.push_back(account_label(a) + ": " + field + " \"" + std::string(value) +
                               "\" has characters a directory telephone number cannot hold; "
                               "synced without it");
    out.accounts.push_back(i);
    unit_holds_accounts[unit->second] = 1;
  }

  validate_shared_accounts(portal, mapping, checker.state, out, unit_holds_accounts);

  // A retired unit stays in the directory while accounts or active units still sit below it.
  std::vector<char> needed(units.size(), 0);
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (checker.state[i] != 2 || !(units[i].active || unit_holds_accounts[i])) continue;
    for (std::size_t k = i;;) {
      if (needed[k]) break;
      needed[k] = 1;
      if (!units[k].parent_id) break;
      k = out.unit_by_id.at(*units[k].parent_id);
    }
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!needed[i]) continue;
    out.units_top_down.push_back(i);
    if (!units[i].active)
      out.warnings.push_back(
          unit_label(units[i]) +
          " is retired but still holds accounts or active units; it stays in the "
          "directory until they are moved");
  }
  std::stable_sort(out.units_top_down.begin(), out.units_top_down.end(),
                   [&](auto a, auto b) { return checker.depth[a] < checker.depth[b]; });
  return out;
}

}  // namespace ps
