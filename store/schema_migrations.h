// The schema as data: the DDL of each version step, and the interface columns the engine reads.
// schema.cc runs the steps; docs/portal-schema.md describes the result.
#pragma once

#include <string>
#include <vector>

namespace ps {

// Step i takes a database from version i to version i + 1 (step 0 creates version 1 of portalsync's
// own tables; the interface tables are InterfaceTable::ddl). A new version appends a step (ALTER
// TABLE ... ADD COLUMN, CREATE TABLE ...) and raises kSchemaVersion; interface tables and columns
// are never renamed or dropped.
const std::vector<std::vector<std::string>>& schema_migrations();

struct InterfaceTable {
  std::string name;
  std::vector<std::string> columns;  // every column the engine reads or writes
  std::vector<std::string> ddl;      // how `db init` creates it when missing (SQLite's DDL)
};

// The portal's tables as the engine uses them: a table the portal created itself before
// `portalsync db init` must have at least these columns.
const std::vector<InterfaceTable>& interface_tables();

}  // namespace ps
