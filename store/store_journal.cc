// SociPortalStore: the change journal the interface tables' triggers fill (journal_triggers.cc).
// Reading after an id misses nothing: writers take turns, so an entry is committed before any
// entry with a higher id is even written (SQLite's single writer; on PostgreSQL the journal's
// advisory lock, store/dialect_postgresql.cc).
#include "store/database.h"
#include "store/dialect.h"
#include "store/row_reader.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::vector<JournalEntry>> SociPortalStore::read_journal(std::int64_t after_id, int limit) {
  using R = Result<std::vector<JournalEntry>>;
  if (limit <= 0)
    return R::failure("change journal: a read needs a limit above 0, not " + std::to_string(limit));
  try {
    std::vector<JournalEntry> out;
    auto r =
        read_rows(*sql_,
                  "SELECT id, table_name, row_id, related_id, operation, changed_at "
                  "FROM ps_change_journal WHERE id > " +
                      std::to_string(after_id) + " ORDER BY id LIMIT " + std::to_string(limit));
    while (r->next()) {
      // Entries the triggers did not write may name anything: an unknown table makes the reader
      // reconcile everything, an unknown operation reads as an update.
      out.push_back({r->integer(0), parse_journal_table(r->text(1)), r->integer(2), r->integer(3),
                     parse_journal_op(r->text(4)).value_or(JournalOp::update), r->text(5)});
    }
    return out;
  } catch (const std::exception& e) {
    return Error{failure("cannot read the change journal", e).message()};
  }
}

Result<std::int64_t> SociPortalStore::journal_head() {
  try {
    // Not the sequence's or AUTO_INCREMENT's last value: it counts ids handed to transactions
    // still open. Writers take turns, so every id below the newest committed one is committed.
    long long head = 0;
    *sql_ << "SELECT COALESCE(MAX(id), 0) FROM ps_change_journal", soci::into(head);
    return static_cast<std::int64_t>(head);
  } catch (const std::exception& e) {
    return Error{failure("cannot read the change journal", e).message()};
  }
}

Result<std::int64_t> SociPortalStore::trim_journal(std::int64_t up_to_id) {
  try {
    // Below the id, then the id itself, not `id <= up_to_id`: InnoDB's range scan reads the row
    // after the range's end and waits for it when a portal transaction has written that entry and
    // not committed (also under READ COMMITTED); a scan that ends below up_to_id stops at its
    // committed row instead. (An empty journal's head is 0: such a scan would start at the first
    // row, maybe an uncommitted one.)
    if (up_to_id <= 0) return std::int64_t{0};
    long long id = up_to_id;
    std::int64_t trimmed = 0;
    for (const char* condition : {"id < :id", "id = :id"}) {
      soci::statement st =
          (sql_->prepare << "DELETE FROM ps_change_journal WHERE " << condition, soci::use(id));
      st.execute(true);
      trimmed += static_cast<std::int64_t>(st.get_affected_rows());
    }
    return trimmed;
  } catch (const std::exception& e) {
    return Error{failure("cannot trim the change journal", e).message()};
  }
}

}  // namespace ps
