#include "daemon/export/audit_workbook.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/audit.h"
#include "core/text.h"

namespace ps {

namespace {

constexpr std::size_t kMaxRows = 1048576;  // Excel's sheet, the header row included
constexpr std::size_t kMaxCellChars = 32767;
constexpr std::size_t kMaxColumnWidth = 60;  // long JSON wraps the view no wider than this

// Excel refuses a cell over 32,767 characters; a longer one is cut at a character boundary.
std::string fit_cell(const std::string& text) {
  if (utf8_length(text) <= kMaxCellChars) return text;
  const std::string mark = " …(truncated)";
  std::size_t chars = 0, end = 0;
  while (end < text.size() && chars < kMaxCellChars - utf8_length(mark)) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    ++chars;
  }
  return text.substr(0, end) + mark;
}

// Each column as wide as its widest cell (Chinese characters count 2), within bounds.
std::vector<double> column_widths(const std::vector<std::vector<std::string>>& rows) {
  const auto& columns = audit_columns();
  std::vector<std::size_t> widest(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) widest[c] = display_width(columns[c].title);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c)
      widest[c] = std::max(widest[c], display_width(row[c]));
  std::vector<double> out;
  for (auto w : widest) out.push_back(static_cast<double>(std::min(w, kMaxColumnWidth) + 2));
  return out;
}

// The first error of a run of writes (later ones are usually its consequences).
struct FirstError {
  lxw_error error = LXW_NO_ERROR;
  void operator()(lxw_error e) {
    if (error == LXW_NO_ERROR) error = e;
  }
};

void write_sheet(lxw_workbook* book, const std::vector<std::vector<std::string>>& rows,
                 FirstError& check) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, "change log");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  const auto& columns = audit_columns();
  auto widths = column_widths(rows);
  auto last_column = static_cast<lxw_col_t>(columns.size() - 1);
  for (lxw_col_t c = 0; c <= last_column; ++c)
    check(worksheet_set_column(sheet, c, c, widths[c], nullptr));
  worksheet_freeze_panes(sheet, 1, 0);
  check(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(rows.size()), last_column));
  for (lxw_col_t c = 0; c <= last_column; ++c)
    check(worksheet_write_string(sheet, 0, c, std::string(columns[c].title).c_str(), bold));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto row = static_cast<lxw_row_t>(r + 1);
    for (lxw_col_t c = 0; c <= last_column; ++c) {
      const auto& cell = rows[r][c];
      if (cell.empty()) continue;
      if (columns[c].number)
        check(worksheet_write_number(sheet, row, c, std::strtod(cell.c_str(), nullptr), nullptr));
      else
        check(worksheet_write_string(sheet, row, c, fit_cell(cell).c_str(), nullptr));
    }
  }
}

}  // namespace

Status write_audit_workbook(const std::vector<ChangeRecord>& records, bool roc,
                            const std::string& path) {
  if (records.size() >= kMaxRows)
    return Status::error(StatusCode::invalid, std::to_string(records.size()) +
                                                  " records do not fit one Excel sheet (at most " +
                                                  std::to_string(kMaxRows - 1) +
                                                  "): narrow the query");
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records.size());
  for (const auto& r : records) rows.push_back(audit_cells(r, roc));
  // Constant memory: rows go to a temporary file as they are written, not all held at once.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
  if (!book) return Status::error(StatusCode::unavailable, "cannot create workbook " + path);
  FirstError check;
  write_sheet(book, rows, check);
  auto closed = workbook_close(book);  // writes the file and frees the workbook
  if (check.error == LXW_NO_ERROR) check.error = closed;
  if (check.error != LXW_NO_ERROR)
    return Status::error(StatusCode::unavailable,
                         "cannot write workbook " + path + ": " + lxw_strerror(check.error));
  return Status::ok();
}

Result<std::string> audit_workbook_bytes(const std::vector<ChangeRecord>& records, bool roc) {
  auto pattern = (std::filesystem::temp_directory_path() / "portalsync-audit-XXXXXX").string();
  int fd = mkstemp(pattern.data());
  if (fd < 0) return Error{"cannot create a temporary file in " + pattern, StatusCode::unavailable};
  close(fd);
  auto written = write_audit_workbook(records, roc, pattern);
  std::string bytes;
  if (written) {
    std::ifstream in(pattern, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::error_code ignored;  // a temporary file left behind in $TMPDIR is no reason to fail
  std::filesystem::remove(pattern, ignored);
  if (!written) return Error{written.message(), written.code()};
  return bytes;
}

}  // namespace ps
