// The AD end-to-end tests' world: the shared Samba DC, an OU of the test's own as the managed
// base, a portal database configured for the ad flavor, and ldapsearch as the administrator to
// read back what a real client sees. sAMAccountName is unique in the whole domain, so each test
// prefixes its usernames.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/dn.h"
#include "tests/support/ad_stories.h"
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

  RunResult sync() const { return portal.portalsync({"sync", "--once"}); }

  std::optional<LdifEntry> user(const std::string& username) const {
    return find_user(dc, base, username);
  }
  // For the stories both AD suites tell (tests/support/ad_stories.h).
  AdWorld world() const { return {dc, base, portal}; }

  std::size_t count(const std::string& filter) const {
    auto found = dc.admin_client().search(dc.base_dn, filter, {"1.1"});
    return found ? found->size() : 0;
  }
};

}  // namespace ad_cli
