#include "store/row_reader.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdlib>
#include <stdexcept>

#include "store/database.h"

namespace ps {

namespace {

namespace sq = ::sqlite_api;  // where soci-sqlite3.h includes sqlite3.h

class SqliteRows : public RowReader {
 public:
  SqliteRows(sq::sqlite3* db, const std::string& query) : db_(db) {
    if (sq::sqlite3_prepare_v2(db_, query.c_str(), static_cast<int>(query.size()), &st_, nullptr) !=
        SQLITE_OK)
      throw std::runtime_error(error(query));
  }
  ~SqliteRows() override { sq::sqlite3_finalize(st_); }
  SqliteRows(const SqliteRows&) = delete;
  SqliteRows& operator=(const SqliteRows&) = delete;

  bool next() override {
    int rc = sq::sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(error(sq::sqlite3_sql(st_)));
  }
  long long integer(int column) const override { return sq::sqlite3_column_int64(st_, column); }
  std::optional<long long> nullable(int column) const override {
    if (sq::sqlite3_column_type(st_, column) == SQLITE_NULL) return std::nullopt;
    return sq::sqlite3_column_int64(st_, column);
  }
  std::string text(int column) const override { return std::string(text_view(column)); }
  std::string_view text_view(int column) const override {
    const auto* p = sq::sqlite3_column_text(st_, column);  // NULL: a null pointer
    if (!p) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<std::size_t>(sq::sqlite3_column_bytes(st_, column))};
  }

 private:
  std::string error(const char* query) const {
    return std::string(sq::sqlite3_errmsg(db_)) + " while executing \"" + query + "\"";
  }
  std::string error(const std::string& query) const { return error(query.c_str()); }

  sq::sqlite3* db_;
  sq::sqlite3_stmt* st_ = nullptr;
};

// The whole result in one PGresult, read in place. Through soci::row each value was converted and
// copied on the way: loading the 100,000 identity links of a journal run took ~200 ms at 100,000
// accounts, where libpq itself needs ~30 ms. Errors are thrown as SOCI throws them (with the
// SQLSTATE), so database_failure_code classifies them the same way.
class PostgresRows : public RowReader {
 public:
  PostgresRows(PGconn* conn, const std::string& query) : result_(PQexec(conn, query.c_str())) {
    if (PQresultStatus(result_) == PGRES_TUPLES_OK) {
      rows_ = PQntuples(result_);
      return;
    }
    std::string message = result_ ? PQresultErrorMessage(result_) : PQerrorMessage(conn);
    const char* state = result_ ? PQresultErrorField(result_, PG_DIAG_SQLSTATE) : nullptr;
    PQclear(result_);
    throw soci::postgresql_soci_error(message + " while executing \"" + query + "\"",
                                      state ? state : "00000");  // SOCI copies five bytes
  }
  ~PostgresRows() override { PQclear(result_); }
  PostgresRows(const PostgresRows&) = delete;
  PostgresRows& operator=(const PostgresRows&) = delete;

  bool next() override { return ++row_ < rows_; }
  std::optional<std::size_t> size() const override { return static_cast<std::size_t>(rows_); }
  long long integer(int column) const override { return nullable(column).value_or(0); }
  std::optional<long long> nullable(int column) const override {
    if (PQgetisnull(result_, row_, column)) return std::nullopt;
    const char* value = PQgetvalue(result_, row_, column);
    if (value[0] == 't' && value[1] == '\0') return 1;  // a boolean column, as SOCI reads it
    return std::strtoll(value, nullptr, 10);
  }
  std::string text(int column) const override { return std::string(text_view(column)); }
  std::string_view text_view(int column) const override {
    return {PQgetvalue(result_, row_, column),
            static_cast<std::size_t>(PQgetlength(result_, row_, column))};
  }

 private:
  PGresult* result_;
  int rows_ = 0;
  int row_ = -1;
};

class SociRows : public RowReader {
 public:
  SociRows(soci::session& sql, const std::string& query) : rows_(sql.prepare << query) {}

  bool next() override {
    if (started_) {
      ++it_;
    } else {
      it_ = rows_.begin();
      started_ = true;
    }
    return it_ != rows_.end();
  }
  long long integer(int column) const override { return column_int(*it_, index(column)); }
  std::optional<long long> nullable(int column) const override {
    if (it_->get_indicator(index(column)) == soci::i_null) return std::nullopt;
    return column_int(*it_, index(column));
  }
  std::string text(int column) const override { return column_text(*it_, index(column)); }
  std::string_view text_view(int column) const override {
    // Sized once for the whole row: growing the vector would move the short strings inside it
    // and leave the views handed out earlier for this row dangling.
    if (texts_.size() < it_->size()) texts_.resize(it_->size());
    return texts_.at(index(column)) = text(column);
  }

 private:
  static std::size_t index(int column) { return static_cast<std::size_t>(column); }

  soci::rowset<soci::row> rows_;
  soci::rowset_iterator<soci::row> it_;
  bool started_ = false;
  mutable std::vector<std::string> texts_;  // what text_view returned for the current row
};

}  // namespace

std::unique_ptr<RowReader> read_rows(soci::session& sql, const std::string& query) {
  if (sql.get_backend_name() == "sqlite3")
    return std::make_unique<SqliteRows>(
        static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_, query);
  if (sql.get_backend_name() == "postgresql")
    return std::make_unique<PostgresRows>(
        static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_, query);
  return read_rows_portably(sql, query);
}

std::unique_ptr<RowReader> read_rows_portably(soci::session& sql, const std::string& query) {
  return std::make_unique<SociRows>(sql, query);
}

}  // namespace ps
