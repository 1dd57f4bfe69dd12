// ChainAppender::append_all: many records in one INSERT. On a database server each statement is a
// round trip, and a first sync of 10,000 accounts wrote ~20,000 records two statements each
// (docs/performance.md, "The portal on PostgreSQL"); SQLite spent as long in seven statements
// per directory change. Reserving the ids first lets every record be sealed before it is sent, so
// the batch is one INSERT carrying its hashes.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "store/change_log_seal.h"
#include "store/dialect.h"

namespace ps {

namespace {

// One row's bound values: SOCI keeps pointers to them until the statement has run.
struct BoundRow {
  long long id = 0, run = 0, subject = 0, unit = 0, outcome = 0, from_unit = 0, fence = 0,
            agency = 0;
  std::string kind, prev, hash;
  soci::indicator run_ind = soci::i_null, done_ind = soci::i_null, outcome_ind = soci::i_null,
                  from_unit_ind = soci::i_null, fence_ind = soci::i_null, agency_ind = soci::i_null;
};

soci::indicator present(long long value) { return value ? soci::i_ok : soci::i_null; }

constexpr int kColumns = 25;
constexpr const char* kInsertColumns =
    "INSERT INTO ps_change_log(id, run_id, at, actor, operation, kind, subject_id, subject_name, "
    "unit_id, dn, new_dn, before_json, after_json, category, reason, result, message, "
    "correlation_id, completed_at, outcome_of, from_unit_id, fence, prev_hash, hash, agency_id) "
    "VALUES ";

std::string values_clause(std::size_t rows, const Dialect& dialect) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    out += i ? ", (" : "(";
    for (int c = 0; c < kColumns; ++c) out += (c ? ", " : "") + dialect.parameter(n++);
    out += ")";
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> ChainAppender::append_all(const std::vector<Appending>& records) {
  std::vector<std::int64_t> ids;
  if (records.empty()) return ids;
  const auto& dialect = dialect_of(sql_);
  auto reserved = dialect.reserve_change_log_ids(sql_, static_cast<int>(records.size()));
  if (!started_) start(reserved.front());
  std::vector<ChangeRecord> sealed;
  std::vector<BoundRow> rows(records.size());  // sized once: bound addresses must not move
  sealed.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& a = records[i];
    auto& row = rows[i];
    sealed.push_back(a.record);
    row.prev = prev_;
    row.hash = seal(sealed.back(), reserved[i], a.completed_at, a.outcome_of);
    const auto& r = sealed.back();
    row.id = r.id;
    row.run = r.run_id;
    row.subject = r.subject_id;
    row.unit = r.unit_id;
    row.outcome = a.outcome_of;
    row.from_unit = r.from_unit_id;
    row.fence = fence_;
    row.agency = r.agency_id;
    row.run_ind = present(row.run);
    row.outcome_ind = present(row.outcome);
    row.from_unit_ind = present(row.from_unit);
    row.fence_ind = present(row.fence);
    row.agency_ind = present(row.agency);
    row.done_ind = a.completed_at.empty() ? soci::i_null : soci::i_ok;
    row.kind = to_string(r.kind);
    ids.push_back(row.id);
  }
  {
    auto insert = (sql_ << kInsertColumns << values_clause(rows.size(), dialect));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto& row = rows[i];
      const auto& r = sealed[i];
      insert, soci::use(row.id), soci::use(row.run, row.run_ind), soci::use(r.at),
          soci::use(r.actor), soci::use(r.operation), soci::use(row.kind), soci::use(row.subject),
          soci::use(r.subject_name), soci::use(row.unit), soci::use(r.dn), soci::use(r.new_dn),
          soci::use(r.before_json), soci::use(r.after_json), soci::use(r.category),
          soci::use(r.reason), soci::use(r.result), soci::use(r.message),
          soci::use(r.correlation_id), soci::use(records[i].completed_at, row.done_ind),
          soci::use(row.outcome, row.outcome_ind), soci::use(row.from_unit, row.from_unit_ind),
          soci::use(row.fence, row.fence_ind), soci::use(row.prev), soci::use(row.hash),
          soci::use(row.agency, row.agency_ind);
    }
  }  // the statement runs here, as `insert` goes out of scope
  return ids;
}

}  // namespace ps
