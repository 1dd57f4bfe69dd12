#include "core/audit.h"

#include <cstdio>

#include "core/clock.h"
#include "core/json.h"

namespace ps {

std::string canonical_record(const ChangeRecord& r, const std::string& completed_at,
                             std::int64_t outcome_of) {
  JsonWriter w;
  w.begin_array()
      .value(r.id)
      .value(r.run_id)
      .value(r.at)
      .value(r.actor)
      .value(r.operation)
      .value(to_string(r.kind))
      .value(static_cast<std::int64_t>(r.subject_id))
      .value(r.subject_name)
      .value(static_cast<std::int64_t>(r.unit_id))
      .value(r.dn)
      .value(r.new_dn)
      .value(r.before_json)
      .value(r.after_json)
      .value(r.category)
      .value(r.reason)
      .value(r.result)
      .value(r.message)
      .value(r.correlation_id)
      .value(completed_at);
  // Optional tail elements: absent when zero, so records from before they existed encode as then;
  // a later one present makes every earlier one present (0 when none).
  bool agency = r.agency_id != 0;
  bool fenced = r.fence != 0 || agency;
  bool moved = r.from_unit_id != 0 || fenced;
  if (outcome_of != 0 || moved) w.value(outcome_of);
  if (moved) w.value(static_cast<std::int64_t>(r.from_unit_id));
  if (fenced) w.value(r.fence);
  if (agency) w.value(static_cast<std::int64_t>(r.agency_id));
  w.end_array();
  return w.str();
}

std::string taipei_time(const std::string& utc, bool roc) {
  auto t = parse_timestamp(utc);
  if (!t) return utc;
  auto local = std::chrono::system_clock::to_time_t(*t + std::chrono::hours(8));
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[64];
  if (roc)
    std::snprintf(buf, sizeof buf, "民國 %d 年 %d 月 %d 日 %02d:%02d:%02d",
                  tm.tm_year + 1900 - 1911, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
  else
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string csv_field(const std::string& value) {
  // CWE-1236: a cell starting with one of these is a formula to Excel or LibreOffice, and portal
  // data (a username in a rule's message, a token name) can start one; a leading apostrophe makes
  // it text.
  bool formula =
      !value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos;
  if (!formula && value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = formula ? "\"'" : "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string subject(const ChangeRecord& r) {
  return std::string(to_string(r.kind)) + " " + r.subject_name +
         (r.subject_id ? " (" + std::to_string(r.subject_id) + ")" : "");
}

}  // namespace

const std::vector<AuditColumn>& audit_columns() {
  static const std::vector<AuditColumn> columns = {{"id", true},        {"time (Asia/Taipei)"},
                                                   {"actor"},           {"category"},
                                                   {"operation"},       {"subject"},
                                                   {"unit_id", true},   {"from_unit_id", true},
                                                   {"agency_id", true}, {"dn"},
                                                   {"new_dn"},          {"before"},
                                                   {"after"},           {"reason"},
                                                   {"result"},          {"message"},
                                                   {"correlation_id"}};
  return columns;
}

std::vector<std::string> audit_cells(const ChangeRecord& r, bool roc) {
  return {std::to_string(r.id),
          taipei_time(r.at, roc),
          r.actor,
          r.category,
          r.operation,
          subject(r),
          std::to_string(r.unit_id),
          r.from_unit_id ? std::to_string(r.from_unit_id) : std::string(),
          r.agency_id ? std::to_string(r.agency_id) : std::string(),
          r.dn,
          r.new_dn,
          r.before_json,
          r.after_json,
          r.reason,
          r.result,
          r.message,
          r.correlation_id};
}

std::string render_audit(const std::vector<ChangeRecord>& records, AuditFormat format, bool roc) {
  std::string out;
  if (format == AuditFormat::json) {
    JsonWriter w;
    w.begin_array();
    for (const auto& r : records)
      w.begin_object()
          .key("id")
          .value(r.id)
          .key("time_utc")
          .value(r.at)
          .key("time_taipei")
          .value(taipei_time(r.at, roc))
          .key("actor")
          .value(r.actor)
          .key("category")
          .value(r.category)
          .key("operation")
          .value(r.operation)
          .key("kind")
          .value(to_string(r.kind))
          .key("subject_id")
          .value(static_cast<std::int64_t>(r.subject_id))
          .key("subject")
          .value(r.subject_name)
          .key("unit_id")
          .value(static_cast<std::int64_t>(r.unit_id))
          .key("from_unit_id")
          .value(static_cast<std::int64_t>(r.from_unit_id))
          .key("agency_id")
          .value(static_cast<std::int64_t>(r.agency_id))
          .key("dn")
          .value(r.dn)
          .key("new_dn")
          .value(r.new_dn)
          .key("before")
          .value(r.before_json)
          .key("after")
          .value(r.after_json)
          .key("reason")
          .value(r.reason)
          .key("result")
          .value(r.result)
          .key("message")
          .value(r.message)
          .key("correlation_id")
          .value(r.correlation_id)
          .end_object();
    w.end_array();
    return w.str() + "\n";
  }
  if (format == AuditFormat::csv) {
    out = "\xEF\xBB\xBF";  // Excel reads the file as UTF-8 only with a BOM
    const auto& columns = audit_columns();
    for (std::size_t i = 0; i < columns.size(); ++i)
      out += (i ? "," : "") + std::string(columns[i].title);
    out += "\r\n";
    for (const auto& r : records) {
      auto cells = audit_cells(r, roc);
      for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
      out += "\r\n";
    }
    return out;
  }
  for (const auto& r : records) {
    char head[160];
    std::snprintf(head, sizeof head, "%-7lld %s  %-16s %-14s %-9s %-8s ",
                  static_cast<long long>(r.id), taipei_time(r.at, roc).c_str(), r.actor.c_str(),
                  r.category.c_str(), r.operation.c_str(), r.result.c_str());
    out += head + subject(r);
    if (r.agency_id) out += "  agency " + std::to_string(r.agency_id);
    if (!r.dn.empty()) out += "  " + r.dn;
    if (!r.new_dn.empty()) out += " -> " + r.new_dn;
    if (!r.after_json.empty() && r.after_json != "{}")
      out += "  " + r.before_json + " => " + r.after_json;
    if (!r.message.empty()) out += "  (" + r.message + ")";
    out += "\n";
  }
  return out;
}

}  // namespace ps
