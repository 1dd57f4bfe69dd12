// Reads a query's rows one at a time, columns in the order the query selects them. On SQLite it
// steps the native statement of the session's connection (inside the session's transaction):
// through SOCI's row or bulk interfaces, loading 100,000 accounts takes two to three times as
// long, all of it in copies and allocations. On PostgreSQL it reads libpq's result in place; on
// MariaDB through soci::row.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

class RowReader {
 public:
  virtual ~RowReader() = default;
  // Moves to the next row (the first on the first call); false after the last.
  virtual bool next() = 0;
  // An integer column; NULL reads as 0 and text as SQLite converts it ('abc' as 0).
  virtual long long integer(int column) const = 0;
  virtual std::optional<long long> nullable(int column) const = 0;
  // A text column; NULL reads as "".
  virtual std::string text(int column) const = 0;
  // The same without a copy, valid until next().
  virtual std::string_view text_view(int column) const = 0;
  // How many rows the query returned, where the reader knows before reading them (PostgreSQL's
  // result is whole on arrival), so a caller can size its storage without counting first.
  virtual std::optional<std::size_t> size() const { return std::nullopt; }
};

// Failures throw (soci::soci_error or std::runtime_error), like the rest of SOCI.
std::unique_ptr<RowReader> read_rows(soci::session& sql, const std::string& query);

// Through soci::row whatever the backend: the reader other backends use, tested against the
// native one.
std::unique_ptr<RowReader> read_rows_portably(soci::session& sql, const std::string& query);

}  // namespace ps
