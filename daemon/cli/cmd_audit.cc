// portalsync audit query | verify: the change log for auditors (docs/audit.md).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>

#include "core/audit.h"
#include "core/audit_filter.h"
#include "core/audit_log.h"
#include "core/portal_lookup.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/export/audit_workbook.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

namespace {

constexpr int kExitBroken = 4;
constexpr int kExitNotTamperEvident = 5;

const char* kUsage =
    R"(usage: portalsync audit query [filters] [--format table|json|csv|xlsx] [--out FILE] [--roc]
                             [-c FILE]
       portalsync audit verify [--anchor SEQ:HASH] [--anchors FILE] [--export FILE] [-c FILE]
       portalsync audit anchor [-c FILE]
       portalsync audit prune [--before TIME] [-c FILE]

query   prints change-log records, oldest first. Filters (all optional, combined with AND):
          --account USERNAME      records about this account (also one the portal no
                                  longer has, by the name the change log knew it by)
          --unit CODE [--subunits] records about this unit and the accounts in it at the time,
                                  transfers out of it included (--subunits: and every unit
                                  below it)
          --agency CODE [--with-subagencies]
                                  records about the agency's units: down to, not into, the
                                  agencies below it (--with-subagencies: those as well)
          --actor NAME            e.g. rule:idle, rule:scheduled, cli:root
          --category NAME         data change, unit transfer, status change, role change,
                                  custody, approval, scheduled change, unit change
          --result NAME           applied, failed, skipped, unknown, done, blocked, held
          --from TIME --to TIME   ISO 8601 with offset, or a date: local midnight in
                                  daemon.timezone, default Asia/Taipei (from inclusive, to
                                  exclusive)
          --after ID --limit N    pagination (default: every matching record)
        Times are shown in Asia/Taipei; --roc shows dates in the ROC calendar (民國 115 年 ...).
        --format csv writes UTF-8 with a BOM so Excel opens the Chinese text correctly;
        --format xlsx writes an Excel workbook (one sheet, header row frozen) to --out FILE.
        --out FILE writes to FILE instead of standard output (needed for xlsx).
verify  walks the hash chain (HMAC-SHA256 under audit.key_file) and reports the first record
        that was changed, removed, inserted, reordered or left unsealed. --anchor SEQ:HASH (the
        output of `audit anchor`, kept outside the database) or --anchors FILE (one per line, or
        the daemon's "audit anchor" log lines) also catch a removed tail or a recomputed chain.
        --export FILE re-checks a prune's export against its checkpoint instead.
        Exit status 0 intact, 4 broken, 5 not tamper-evident (no key), 1 cannot read.
anchor  prints the newest record's sequence number and hash (SEQ:HASH): write it down outside
        the database (a daily report, a ticket) for verify --anchor.
prune   verifies the chain first and refuses when anything is wrong; then exports records older
        than audit.retain_days (or --before TIME) to audit.export_dir as JSON lines with every
        field their hashes cover, deletes them, and leaves a checkpoint signed with
        audit.key_file so the rest of the chain still verifies.
)";

std::optional<std::string> utc_option(const Args& args, const char* name) {
  auto text = args.value(name);
  if (!text) return std::string();
  auto t = parse_timestamp(*text);
  if (!t) {
    std::fprintf(stderr, "portalsync audit: %s \"%s\" is not ISO 8601 with an offset or a date\n",
                 name, text->c_str());
    return std::nullopt;
  }
  return format_utc(*t);
}

// Bare dates in --from/--to are local midnight in daemon.timezone (default Asia/Taipei). The CLI
// is single-threaded, so setting the process zone is safe here.
void use_local_zone(const std::string& zone) {
  setenv("TZ", zone.c_str(), 1);
  tzset();
}

std::chrono::minutes local_offset(TimePoint t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&seconds, &local);
  return std::chrono::minutes(local.tm_gmtoff / 60);
}

int prune(const Args& args, const Config& config, ChangeLogAudit& log) {
  const auto& a = config.audit;
  auto before = utc_option(args, "--before");
  if (!before) return kExitFatal;
  if (before->empty() && a.retain_days == 0) {
    std::printf(
        "audit.retain_days is 0: every record is kept (give --before TIME to prune anyway)\n");
    return kExitOk;
  }
  if (a.export_dir.empty() || a.key.empty()) {
    std::fprintf(stderr,
                 "portalsync audit prune: needs audit.export_dir and audit.key_file in %s\n",
                 config.source.c_str());
    return kExitFatal;
  }
  auto now = std::chrono::system_clock::now();
  auto cutoff = !before->empty() ? *before : format_utc(now - std::chrono::days(a.retain_days));
  auto report = log.prune_records({cutoff, a.export_dir, format_utc(now)});
  if (!report) {
    std::fprintf(stderr, "portalsync audit prune: %s\n", report.error().c_str());
    return kExitFatal;
  }
  if (report->records == 0)
    std::printf("nothing to prune before %s\n", cutoff.c_str());
  else
    std::printf("pruned %lld records (up to id %lld) before %s, exported to %s\n",
                static_cast<long long>(report->records), static_cast<long long>(report->last_id),
                cutoff.c_str(), report->export_file.c_str());
  if (!report->held_back.empty()) std::printf("%s\n", report->held_back.c_str());
  return kExitOk;
}

// --anchor SEQ:HASH and the anchors found in --anchors FILE; nullopt after printing why not.
std::optional<std::vector<AuditAnchor>> anchors_option(const Args& args) {
  std::vector<AuditAnchor> out;
  if (auto text = args.value("--anchor")) {
    auto a = parse_anchor(*text);
    if (!a) {
      std::fprintf(stderr, "portalsync audit: --anchor \"%s\" is not SEQ:HASH\n", text->c_str());
      return std::nullopt;
    }
    out.push_back(*a);
  }
  if (auto file = args.value("--anchors")) {
    std::ifstream in(*file);
    if (!in) {
      std::fprintf(stderr, "portalsync audit: cannot read %s\n", file->c_str());
      return std::nullopt;
    }
    std::string line;
    while (std::getline(in, line))
      if (auto a = parse_anchor(line)) out.push_back(*a);
    if (out.empty()) {
      std::fprintf(stderr, "portalsync audit: %s holds no anchor (SEQ:HASH)\n", file->c_str());
      return std::nullopt;
    }
  }
  return out;
}

int verify_export(ChangeLogAudit& log, const std::string& file) {
  auto report = log.verify_export(file);
  if (!report) {
    std::fprintf(stderr, "portalsync audit verify: %s\n", report.error().c_str());
    return kExitFatal;
  }
  if (!report->ok) {
    std::printf("BROKEN: %s: %s\n", file.c_str(), report->problem.c_str());
    return kExitBroken;
  }
  std::printf(
      "export intact: %s holds records %lld to %lld (%lld), as its signed checkpoint says\n",
      file.c_str(), static_cast<long long>(report->first_id),
      static_cast<long long>(report->last_id), static_cast<long long>(report->records));
  return kExitOk;
}

int verify(const Args& args, ChangeLogAudit& log) {
  if (auto file = args.value("--export")) return verify_export(log, *file);
  auto anchors = anchors_option(args);
  if (!anchors) return kExitFatal;
  auto report = log.verify_chain(*anchors);
  if (!report) {
    std::fprintf(stderr, "portalsync audit verify: %s\n", report.error().c_str());
    return kExitFatal;
  }
  for (const auto& note : report->notes) std::printf("note: %s\n", note.c_str());
  if (report->verdict == ChainVerdict::broken) {
    std::printf("BROKEN: %s.\n", report->problem.c_str());
    return kExitBroken;
  }
  auto counts =
      std::to_string(report->sealed) + " records verified" +
      (report->anchors_checked ? ", " + std::to_string(report->anchors_checked) + " anchors matched"
                               : "");
  auto anchor = "anchor: " + format_anchor(report->head);
  if (report->verdict == ChainVerdict::not_tamper_evident) {
    std::printf("NOT TAMPER-EVIDENT: %s. No damage found in %s.\n%s\n", report->weakness.c_str(),
                counts.c_str(), anchor.c_str());
    return kExitNotTamperEvident;
  }
  std::printf("chain intact: %s, sealed with audit.key_file from record %lld\n%s\n", counts.c_str(),
              static_cast<long long>(report->keyed_from), anchor.c_str());
  return kExitOk;
}

// Renders the records as asked, to standard output or to `out_file`.
int write_records(const std::vector<ChangeRecord>& records, const std::string& format_name,
                  bool roc, const std::string& out_file) {
  if (format_name == "xlsx") {
    auto written = write_audit_workbook(records, roc, out_file);
    if (!written) {
      std::fprintf(stderr, "portalsync audit: %s\n", written.message().c_str());
      return kExitFatal;
    }
    std::printf("wrote %zu records to %s\n", records.size(), out_file.c_str());
    return kExitOk;
  }
  auto format = format_name == "json"  ? AuditFormat::json
                : format_name == "csv" ? AuditFormat::csv
                                       : AuditFormat::table;
  auto text = render_audit(records, format, roc);
  if (out_file.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
  if (!out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) {
    std::fprintf(stderr, "portalsync audit: cannot write %s\n", out_file.c_str());
    return kExitFatal;
  }
  return kExitOk;
}

int anchor(ChangeLogAudit& log) {
  auto a = log.latest_anchor();
  if (!a) {
    std::fprintf(stderr, "portalsync audit anchor: %s\n", a.error().c_str());
    return kExitFatal;
  }
  std::printf("%s\n", format_anchor(a.value()).c_str());
  return kExitOk;
}

}  // namespace

int run_audit(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv, {kConfigOption,           {"--account", "", true},
                                     {"--unit", "", true},    {"--subunits", "", false},
                                     {"--agency", "", true},  {"--with-subagencies", "", false},
                                     {"--actor", "", true},   {"--category", "", true},
                                     {"--result", "", true},  {"--from", "", true},
                                     {"--to", "", true},      {"--after", "", true},
                                     {"--limit", "", true},   {"--format", "", true},
                                     {"--out", "", true},     {"--roc", "", false},
                                     {"--before", "", true},  {"--anchor", "", true},
                                     {"--anchors", "", true}, {"--export", "", true}},
                              kUsage, status);
  if (!args) return status;
  const auto& pos = args->positionals();
  if (pos.size() != 1 ||
      (pos[0] != "query" && pos[0] != "verify" && pos[0] != "prune" && pos[0] != "anchor")) {
    std::fputs(kUsage, stderr);
    return kExitFatal;
  }
  auto config = load_config_or_report(*args);
  if (!config) return kExitFatal;
  auto store = open_portal_store(config.value());
  if (!store) {
    std::fprintf(stderr, "portalsync audit: %s\n", store.error().c_str());
    return kExitFatal;
  }
  auto* log = store.value()->audit_log();
  if (!log) {
    std::fprintf(stderr, "portalsync audit: this store keeps no change log\n");
    return kExitFatal;
  }
  if (pos[0] == "verify") return verify(*args, *log);
  if (pos[0] == "anchor") return anchor(*log);
  if (pos[0] == "prune") return prune(*args, config.value(), *log);

  // The same filters, names and checks as GET /v1/audit (core/audit_filter.h).
  std::map<std::string, std::string> params;
  for (const auto& name : audit_filter_names()) {
    auto option = "--" + name;
    std::replace(option.begin(), option.end(), '_', '-');  // with_subagencies: --with-subagencies
    if (auto v = args->value(option))
      params[name] = *v;
    else if (args->has(option))
      params[name] = "";
  }
  // Names are resolved against the portal only when a filter names an account, unit or agency.
  Result<PortalSnapshot> snapshot = PortalSnapshot{};
  if (audit_filter_names_rows(params)) snapshot = store.value()->load_snapshot();
  if (!snapshot) {
    std::fprintf(stderr, "portalsync audit: %s\n", snapshot.error().c_str());
    return kExitFatal;
  }
  use_local_zone(config->daemon.timezone);
  auto built =
      build_audit_filter(params, snapshot.value(), local_offset,
                         [log](const std::string& name) { return log->former_account_id(name); });
  if (!built) {
    std::fprintf(stderr, "portalsync audit: --%s\n", built.error().c_str());
    return kExitFatal;
  }
  auto filter = built.value();
  bool limited = params.count("limit") > 0;
  auto format_name = args->value_or("--format", "table");
  if (format_name != "table" && format_name != "json" && format_name != "csv" &&
      format_name != "xlsx") {
    std::fprintf(stderr, "portalsync audit: --format must be table, json, csv or xlsx\n");
    return kExitFatal;
  }
  auto out_file = args->value_or("--out", "");
  if (format_name == "xlsx" && out_file.empty()) {
    std::fprintf(stderr,
                 "portalsync audit: --format xlsx needs --out FILE (a workbook is not text)\n");
    return kExitFatal;
  }
  // Pages of 10,000 keep memory flat for an export of the whole log.
  std::vector<ChangeRecord> records;
  std::size_t wanted = limited ? filter.limit : SIZE_MAX;
  while (records.size() < wanted) {
    filter.limit = std::min<std::size_t>(10000, wanted - records.size());
    auto page = log->query_records(filter);
    if (!page) {
      std::fprintf(stderr, "portalsync audit: %s\n", page.error().c_str());
      return kExitFatal;
    }
    if (page->empty()) break;
    filter.after_id = page->back().id;
    records.insert(records.end(), page->begin(), page->end());
  }
  return write_records(records, format_name, args->has("--roc"), out_file);
  return kExitOk;
}

}  // namespace ps::cli
