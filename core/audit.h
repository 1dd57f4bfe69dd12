// The change log as auditors read it: filters for queries, the canonical encoding the hash chain
// is computed over, and how times and records are shown (Asia/Taipei, optionally the ROC calendar
// 民國; CSV with a BOM so Excel opens Chinese text). Pure functions; the store runs the queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/change_log.h"

namespace ps {

struct AuditFilter {
  std::optional<RowId> account_id;
  std::vector<RowId> unit_ids;  // the unit, and its sub-units when asked
  // An agency filter: the agencies a record's recorded agency_id must be one of; unit_ids then
  // hold the agencies' units, which match records that name no agency (older ones, or written
  // while no unit was marked) and a transfer out of them (from_unit_id).
  std::vector<RowId> agency_ids;
  std::string actor;
  std::string category;
  std::string result;
  std::string from;           // UTC ISO 8601, inclusive
  std::string to;             // UTC ISO 8601, exclusive
  std::int64_t after_id = 0;  // pagination: records with a larger id
  std::size_t limit = 1000;
};

// The exact bytes a record's hash covers: every field, in a fixed order, as a JSON array. An
// outcome record (the result of the intent `outcome_of`) has that id as a 20th element, and a
// transfer its from_unit_id as a 21st (after outcome_of, 0 when none), a record written by an
// elected node its fencing number as a 22nd (after both), and a record naming its agency the
// agency's id as a 23rd (after all three); other records encode exactly as before these existed,
// so older chains still verify.
std::string canonical_record(const ChangeRecord& r, const std::string& completed_at,
                             std::int64_t outcome_of = 0);

// "2026-11-25T06:30:00Z" -> "2026-11-25 14:30:00" (Asia/Taipei, UTC+8 all year), or with roc
// "民國 115 年 11 月 25 日 14:30:00".
std::string taipei_time(const std::string& utc, bool roc);

std::string csv_field(const std::string& value);

// The columns of a tabular export (CSV, the Excel workbook), in order; `number` columns hold an
// integer a spreadsheet may treat as a number (or nothing), every other cell is text.
struct AuditColumn {
  std::string_view title;
  bool number = false;
};
const std::vector<AuditColumn>& audit_columns();
// One record's cells, as shown (times in Asia/Taipei, ROC when asked), one per audit_columns().
std::vector<std::string> audit_cells(const ChangeRecord& r, bool roc);

enum class AuditFormat { table, json, csv };
// Renders records; CSV starts with a UTF-8 BOM.
std::string render_audit(const std::vector<ChangeRecord>& records, AuditFormat format, bool roc);

}  // namespace ps
