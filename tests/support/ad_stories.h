// AD stories both end-to-end suites tell: portalsync through its LDAP connector (ad_cli) and
// through the API host (apihost). The same steps and checks, read back with the real tools, so
// the two paths are held to one standard. Header-only: it uses Catch, the support library does not.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "core/dn.h"
#include "tests/support/ad_checks.h"
#include "tests/support/portal_fixture.h"

namespace ps::testing {

// A portal whose configuration reaches the DC (directly or via an API host), managing `base`.
struct AdWorld {
  const SambaDc& dc;
  const std::string& base;
  const PortalFixture& portal;

  RunResult sync() const { return portal.portalsync({"sync", "--once"}); }
  std::optional<LdifEntry> user(const std::string& username) const {
    return find_user(dc, base, username);
  }
  bool can_bind(const std::string& username, const std::string& password) const {
    return ps::testing::can_bind(dc, username + "@portal.test", password,
                                 portal.dir().file("bind-check.secret"));
  }
};

// directory.groups_dn for the groups story (appended to the directory section).
inline std::string groups_yaml(const std::string& base) {
  return "  groups_dn: \"OU=groups," + base + "\"\n";
}

// `password set` writes unicodePwd; the user can bind with it, not with another; a disabled user
// cannot. The password shows in no output and no change-log record.
inline void story_password_lets_the_user_bind_until_disabled(const AdWorld& w,
                                                             const std::string& prefix) {
  const auto lin = prefix + ".lin";
  w.portal.seed_small_tree(prefix);
  REQUIRE(w.sync().exit_code == 0);
  auto set = w.portal.portalsync({"password", "set", lin, "--stdin"}, kStrongPassword + "\n");
  INFO(set.out << set.err);
  REQUIRE(set.exit_code == 0);
  CHECK(w.can_bind(lin, kStrongPassword));
  CHECK_FALSE(w.can_bind(lin, "Wr0ng-but-l0ng-enough"));
  CHECK(set.out.find(kStrongPassword) == std::string::npos);
  CHECK(set.err.find(kStrongPassword) == std::string::npos);

  w.portal.exec("UPDATE accounts SET status = 'disabled' WHERE username = '" + lin + "'");
  REQUIRE(w.sync().exit_code == 0);
  CHECK(w.user(lin)->first("userAccountControl") == "514");
  CHECK_FALSE(w.can_bind(lin, kStrongPassword));

  auto audit = w.portal.portalsync({"audit", "query", "--account", lin, "--format", "json"});
  CHECK_THAT(audit.out, Catch::Contains("set_password"));
  CHECK(audit.out.find(kStrongPassword) == std::string::npos);
}

// After failed sign-ins AD locks the user out; `unlock` clears lockoutTime and the user's own
// password works again.
inline void story_unlock_clears_a_lockout(const AdWorld& w, const std::string& prefix) {
  const auto wang = prefix + ".wang";
  w.portal.seed_small_tree(prefix);
  REQUIRE(w.sync().exit_code == 0);
  REQUIRE(w.portal.portalsync({"password", "set", wang, "--stdin"}, kStrongPassword + "\n").ok());
  DomainLockout lockout(w.dc, 3);
  REQUIRE(lockout.active());
  for (int i = 0; i < 4; ++i) w.can_bind(wang, "Wr0ng-but-l0ng-enough");
  CHECK(w.user(wang)->first("lockoutTime") != "0");
  CHECK_FALSE(w.can_bind(wang, kStrongPassword));

  auto unlock = w.portal.portalsync({"unlock", wang});
  INFO(unlock.out << unlock.err);
  REQUIRE(unlock.exit_code == 0);
  CHECK(w.user(wang)->first("lockoutTime") == "0");
  CHECK(w.can_bind(wang, kStrongPassword));
}

// An entitlement group (a system granted to 民政局) holds the enabled accounts below the unit and
// loses one transferred out; a shared account's manager is its custodian, also after the move.
// The portal's configuration must carry groups_yaml(base).
// through_journal: the transfer is carried by `sync --once --journal` (a scoped run: the units,
// the groups and just the changed users read), which must leave what a full sync would.
inline void story_groups_follow_a_transfer(const AdWorld& w, const std::string& prefix,
                                           bool through_journal = false) {
  w.portal.seed_small_tree(prefix);
  w.portal.exec("INSERT INTO systems(id, code, name, group_name) VALUES (1, 'HR', '人事系統', '" +
                prefix + "-app-hr');" +
                "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1);"
                "INSERT INTO shared_accounts(id, username, kind, display_name, org_unit_id, "
                "custodian_id) VALUES (1, '" +
                prefix + ".civil.box', 'mail', '民政局信箱', 2, 1)");
  REQUIRE(w.sync().exit_code == 0);
  auto members = [&] {
    auto found = group_members(w.dc, "CN=" + prefix + "-app-hr,OU=groups," + w.base);
    INFO((found ? "" : found.error()));
    REQUIRE(found);
    return found.value();
  };
  auto chen_dn = normalize_dn(w.user(prefix + ".chen")->dn);
  CHECK(members().count(chen_dn) == 1);
  CHECK(members().size() == 3);  // chen and lin below 民政局, wang in it; pending huang is not

  auto box = w.user(prefix + ".civil.box");
  REQUIRE(box);
  CHECK(box->first("employeeType") == "shared-mail");
  CHECK(normalize_dn(box->first("manager")) == chen_dn);

  w.portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE id = 1");  // to 教育局: no grant
  auto transfer = through_journal ? w.portal.portalsync({"sync", "--once", "--journal"}) : w.sync();
  INFO(transfer.out << transfer.err);
  REQUIRE(transfer.exit_code == 0);
  if (through_journal) CHECK_THAT(transfer.err, Catch::Contains("scoped run: 2 objects"));
  CHECK(members().count(chen_dn) == 0);
  CHECK(members().size() == 2);
  CHECK(normalize_dn(w.user(prefix + ".civil.box")->first("manager")) ==
        normalize_dn(w.user(prefix + ".chen")->dn));
  CHECK(w.portal.plan_is_empty());
}

}  // namespace ps::testing
