// The AD end-to-end tests' world: the shared Samba DC, an OU of the test's own as the managed
// base, a portal database configured for the ad flavor, and ldapsearch as the administrator to
// read back what a real client sees. sAMAccountName is unique in the whole domain, so each test
// prefixes its usernames.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/dn.h"
#include "tests/support/ldif.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/samba_server.h"

namespace ad_cli {

using namespace ps::testing;

struct AdPortal {
  const SambaDc& dc;
  std::string base;
  PortalFixture portal;

  explicit AdPortal(const std::string& ou, const std::string& extra_yaml = "")
      : dc(shared_samba()), base(dc.fresh_ou(ou)), portal(dc, base, extra_yaml) {}

  // The small Tainan tree with usernames "<prefix>.chen", ".lin", ".wang", ".pending", ".left".
  void seed_tree(const std::string& prefix) const {
    portal.seed_small_tree();
    for (auto [from, to] : {std::pair{"chen.yating", "chen"},
                            {"lin.wei", "lin"},
                            {"wang.xm", "wang"},
                            {"huang.pending", "pending"},
                            {"tsai.left", "left"}})
      portal.exec("UPDATE accounts SET username = '" + prefix + "." + to + "' WHERE username = '" +
                  from + "'");
  }

  RunResult sync() const { return portal.portalsync({"sync", "--once"}); }

  bool plan_is_empty() const {
    auto plan = portal.portalsync({"plan", "--json"});
    return plan.ok() && plan.out.find("\"operations\":[]") != std::string::npos;
  }

  std::optional<LdifEntry> user(const std::string& username) const {
    auto found =
        dc.admin_client().search(base, "(sAMAccountName=" + username + ")", {"*", "objectGUID"});
    if (!found || found->empty()) return std::nullopt;
    return found->front();
  }

  std::size_t count(const std::string& filter) const {
    auto found = dc.admin_client().search(dc.base_dn, filter, {"1.1"});
    return found ? found->size() : 0;
  }
};

}  // namespace ad_cli
