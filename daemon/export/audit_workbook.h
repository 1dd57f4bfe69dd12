// The change log as an Excel workbook (docs/audit.md: exports), written with libxlsxwriter: one
// sheet per query, a bold header row frozen above the records, column widths that fit Chinese
// text, every text cell written as a string (never a formula, whatever it starts with).
#pragma once

#include <string>
#include <vector>

#include "core/change_log.h"
#include "core/result.h"

namespace ps {

// Writes the records to `path` (replaced when it exists). Fails (invalid) when they do not fit
// one sheet, or when the file cannot be written.
Status write_audit_workbook(const std::vector<ChangeRecord>& records, bool roc,
                            const std::string& path);

// The same workbook as bytes, for an HTTP answer (written through a temporary file).
Result<std::string> audit_workbook_bytes(const std::vector<ChangeRecord>& records, bool roc);

inline constexpr const char* kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace ps
