// The CLI on a MariaDB portal database, with portalsync connected as the least-privilege account
// of docs/portal-schema.md (its password in an option file) and the portal writing as its own
// account with the mariadb client: db init, sync to a real slapd, read back with ldapsearch, a
// change the portal makes, and the change log, sealed with a key, verified.
#include <catch2/catch.hpp>

#include "store/schema.h"
#include "tests/integration/cli/server_story.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;

TEST_CASE("on MariaDB, db init and sync as the least-privilege account reach slapd",
          "[cli][mariadb]") {
  MariadbDatabase db(
      [](const std::string& owner_url) { REQUIRE_OK(ps::create_interface_tables(owner_url)); });
  // The portal writes with the mariadb client; its writes journal through the triggers
  // portalsync's account defined. The password comes from the option file.
  run_server_story({db.url(), [&](const std::string& sql) { db.sql_as("portal_owner", sql); },
                    [&] {
                      return db.sql_as("portalsync", "SELECT count(*) FROM " + db.name() +
                                                         "_portalsync.ps_change_journal");
                    },
                    "w#rd"});
}
