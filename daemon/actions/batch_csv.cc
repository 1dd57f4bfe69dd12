#include "daemon/actions/batch_csv.h"

#include <sstream>

#include "daemon/actions/scheduling.h"

namespace ps::actions {

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

Result<std::vector<ScheduledChange>> parse_batch_csv(const PortalSnapshot& p, std::string_view text,
                                                     const std::string& name) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // Excel's UTF-8 BOM
  if (split_csv_line(line) != std::vector<std::string>{"username", "kind", "target_unit",
                                                       "target_role", "reason", "effective_at"})
    return Result<std::vector<ScheduledChange>>::failure(
        name + ":1: the header must be username,kind,target_unit,target_role,reason,effective_at");
  std::vector<ScheduledChange> rows;
  std::string errors;
  for (int n = 2; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \r") == std::string::npos) continue;
    auto f = split_csv_line(line);
    if (f.size() != 6) {
      errors += name + ":" + std::to_string(n) + ": expected 6 fields, got " +
                std::to_string(f.size()) + "\n";
      continue;
    }
    auto c = make_scheduled_change(p, {f[0], f[1], f[2], f[3], f[4], f[5]});
    if (!c)
      errors += name + ":" + std::to_string(n) + ": " + c.error() + "\n";
    else
      rows.push_back(std::move(c.value()));
  }
  if (!errors.empty())
    return Result<std::vector<ScheduledChange>>::failure(errors + "nothing was written");
  return rows;
}

}  // namespace ps::actions
