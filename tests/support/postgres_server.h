// A throwaway PostgreSQL 15 cluster for the tests: initdb and pg_ctl as the postgres user (initdb
// refuses root) in a directory of its own under /tmp, on a free loopback port, fsync off. One
// cluster serves a whole ctest run (tests/postgres_fixture.cc starts and stops it, as the Samba
// DC's fixture does); a test process run by hand without it starts one of its own.
// Besides the superuser it has two login roles with random passwords, both in one libpq passfile:
// portal_owner (the portal, owner of the interface tables) and portalsync (least privilege:
// exactly the GRANTs docs/portal-schema.md gives). Each test works in a database of its own.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ps::testing {

struct PostgresCluster {
  std::string dir;  // data/, the unix socket, server.log, passfile
  int port = 0;
  std::string passfile() const { return dir + "/passfile"; }
};

// initdb, start, create the roles; throws with the tools' output on failure.
PostgresCluster start_postgres(const std::string& dir);
void stop_postgres(const PostgresCluster& cluster);  // pg_ctl stop -m immediate
// For a test's own cluster only (the shared one serves other tests meanwhile): the server's
// restart as a DBA does it (pg_ctl restart -m fast: sessions ended, then up again), and its start
// again after stop_postgres.
void restart_postgres(const PostgresCluster& cluster);
void start_stopped_postgres(const PostgresCluster& cluster);
std::string postgres_state_file();  // <build>/postgres/state
void write_postgres_state(const PostgresCluster& cluster);
std::optional<PostgresCluster> read_postgres_state();  // nullopt when none is running
std::string read_postgres_state_dir();                 // the recorded dir, running or not

// The fixture's cluster, or one started for this process.
const PostgresCluster& shared_postgres();

// psql -At as the superuser over the unix socket; stdout. Throws with psql's errors on failure.
std::string psql(const PostgresCluster& cluster, const std::string& database,
                 const std::string& sql);

struct PostgresDatabaseOptions {
  // Create the database with ICU's en-US collation as its default: text then orders by language
  // rules, as on many real servers ("C.UTF-8" compares bytes).
  bool language_collation = true;
};

// A database of its own for one test, set up the way docs/portal-schema.md tells a DBA to:
// owned by portal_owner, with the schema portalsync owned by portalsync; the interface tables
// created by the portal (create_interface_tables, run with portal_owner's URL) and portalsync's
// GRANTs applied from the SQL block of docs/portal-schema.md. Dropped when it goes away.
class PostgresDatabase {
 public:
  PostgresDatabase(const std::function<void(const std::string& owner_url)>& create_interface_tables,
                   PostgresDatabaseOptions options = {});
  // The same in `cluster`, a cluster of the test's own (which must outlive it).
  PostgresDatabase(const PostgresCluster& cluster,
                   const std::function<void(const std::string& owner_url)>& create_interface_tables,
                   PostgresDatabaseOptions options = {});
  ~PostgresDatabase();
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  const std::string& name() const { return name_; }
  // postgresql://host=127.0.0.1 port=P dbname=N user=ROLE passfile=F (never a password).
  std::string url(const std::string& role = "portalsync") const;
  // psql as the superuser in this database.
  std::string psql(const std::string& sql) const;

 private:
  const PostgresCluster& cluster_;
  std::string name_;
};

// The GRANT statements of docs/portal-schema.md (between <!-- grants --> and <!-- /grants -->).
std::string documented_grants();

}  // namespace ps::testing
