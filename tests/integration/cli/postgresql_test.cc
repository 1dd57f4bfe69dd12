// The CLI on a PostgreSQL portal database, with portalsync connected as the least-privilege role
// of docs/portal-schema.md and the portal writing as its own role: db init, sync to a real slapd,
// read back with ldapsearch, a change the portal makes, and the change log, sealed with a key,
// verified.
#include <catch2/catch.hpp>

#include "store/schema.h"
#include "tests/integration/cli/server_story.h"
#include "tests/support/postgres_server.h"
#include "tests/support/require_ok.h"

using namespace ps::testing;

namespace {

// As the portal: its own role, no grant on portalsync's schema.
void as_portal(const PostgresDatabase& db, const std::string& sql) {
  db.psql("SET ROLE portal_owner; " + sql);
}

}  // namespace

TEST_CASE("on PostgreSQL, db init and sync as the least-privilege role reach slapd",
          "[cli][postgresql]") {
  PostgresDatabase db(
      [](const std::string& owner_url) { REQUIRE_OK(ps::create_interface_tables(owner_url)); });
  // The portal's writes journal through the SECURITY DEFINER trigger; the password comes from
  // the passfile.
  run_server_story({db.url(), [&](const std::string& sql) { as_portal(db, sql); },
                    [&] { return db.psql("SELECT count(*) FROM portalsync.ps_change_journal"); },
                    "password="});
}
