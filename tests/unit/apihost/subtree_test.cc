// The API host's subtree check compares RDNs: a DN whose value holds an escaped comma followed by
// the base's text is not below the base.
#include <catch2/catch.hpp>

#include "daemon/apihost/subtree.h"

using ps::apihost::is_within;

TEST_CASE("api host: is_within compares parsed DNs, not text", "[apihost]") {
  const std::string base = "OU=portal,DC=gov";
  CHECK(is_within("CN=a,OU=portal,DC=gov", base, false));
  CHECK(is_within("cn=a, ou=PORTAL,dc=gov", base, false));
  CHECK(is_within(base, base, true));
  CHECK_FALSE(is_within(base, base, false));
  // CN="x,OU=portal" under DC=gov: the text ends with ",OU=portal,DC=gov" but the entry is outside.
  CHECK_FALSE(is_within("CN=x\\,OU=portal,DC=gov", base, false));
  CHECK_FALSE(is_within("CN=a,OU=portalx,DC=gov", base, false));
}
