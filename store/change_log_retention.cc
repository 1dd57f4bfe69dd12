#include "store/change_log_retention.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/audit.h"
#include "core/json.h"
#include "store/change_log_seal.h"
#include "store/change_log_walk.h"
#include "store/database.h"

namespace ps {

namespace {

std::string hex(const unsigned char* bytes, unsigned length) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

std::string checkpoint_message(std::int64_t last_id, const std::string& last_hash,
                               const std::string& export_sha256) {
  return std::to_string(last_id) + "|" + last_hash + "|" + export_sha256;
}

// One export line: every column the record's hash covers, as stored, plus its hashes.
std::string export_line(const StoredRecord& s) {
  const auto& r = s.record;
  JsonWriter w;
  w.begin_object()
      .key("id")
      .value(r.id)
      .key("run_id")
      .value(r.run_id)
      .key("at")
      .value(r.at)
      .key("actor")
      .value(r.actor)
      .key("operation")
      .value(r.operation)
      .key("kind")
      .value(to_string(r.kind))
      .key("subject_id")
      .value(static_cast<std::int64_t>(r.subject_id))
      .key("subject_name")
      .value(r.subject_name)
      .key("unit_id")
      .value(static_cast<std::int64_t>(r.unit_id))
      .key("dn")
      .value(r.dn)
      .key("new_dn")
      .value(r.new_dn)
      .key("before_json")
      .value(r.before_json)
      .key("after_json")
      .value(r.after_json)
      .key("category")
      .value(r.category)
      .key("reason")
      .value(r.reason)
      .key("result")
      .value(r.result)
      .key("message")
      .value(r.message)
      .key("correlation_id")
      .value(r.correlation_id)
      .key("completed_at")
      .value(s.completed_at)
      .key("outcome_of")
      .value(s.outcome_of)
      .key("from_unit_id")
      .value(static_cast<std::int64_t>(r.from_unit_id))
      .key("fence")
      .value(r.fence)
      .key("agency_id")
      .value(static_cast<std::int64_t>(r.agency_id))
      .key("prev_hash")
      .value(s.prev_hash)
      .key("hash")
      .value(s.hash)
      .end_object();
  return w.str();
}

std::optional<StoredRecord> parse_export_line(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    StoredRecord s;
    auto& r = s.record;
    auto text = [&](const char* k) { return j.at(k).get<std::string>(); };
    auto number = [&](const char* k) { return j.at(k).get<std::int64_t>(); };
    r.id = number("id");
    r.run_id = number("run_id");
    r.at = text("at");
    r.actor = text("actor");
    r.operation = text("operation");
    auto kind = parse_subject_kind(text("kind"));
    if (!kind) return std::nullopt;
    r.kind = *kind;
    r.subject_id = number("subject_id");
    r.subject_name = text("subject_name");
    r.unit_id = number("unit_id");
    r.dn = text("dn");
    r.new_dn = text("new_dn");
    r.before_json = text("before_json");
    r.after_json = text("after_json");
    r.category = text("category");
    r.reason = text("reason");
    r.result = text("result");
    r.message = text("message");
    r.correlation_id = text("correlation_id");
    s.completed_at = text("completed_at");
    s.outcome_of = number("outcome_of");
    r.from_unit_id = j.value("from_unit_id", std::int64_t{0});  // exports before schema 6 lack it
    r.fence = j.value("fence", std::int64_t{0});                // exports before schema 9 lack it
    r.agency_id = j.value("agency_id", std::int64_t{0});        // and before schema 10 this
    s.prev_hash = text("prev_hash");
    s.hash = text("hash");
    s.sealed = !s.hash.empty();
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The last record a prune up to `last` may take without parting an intent from its outcome.
std::int64_t keep_intents_with_outcomes(soci::session& sql, std::int64_t last) {
  long long up_to = last, above = last, split = 0, pending = 0;
  soci::indicator a = soci::i_null, b = soci::i_null;
  sql << "SELECT min(outcome_of) FROM ps_change_log WHERE outcome_of IS NOT NULL AND "
         "outcome_of <= :l AND id > :a",
      soci::into(split, a), soci::use(up_to), soci::use(above);
  sql << "SELECT min(intent_id) FROM ps_pending_intents WHERE intent_id <= :l",
      soci::into(pending, b), soci::use(up_to);
  if (a == soci::i_ok) last = std::min<std::int64_t>(last, split - 1);
  if (b == soci::i_ok) last = std::min<std::int64_t>(last, pending - 1);
  return last;
}

PruneCheckpoint read_prune_checkpoint(const soci::row& r) {
  PruneCheckpoint c;
  c.last_id = column_int(r, 0);
  c.last_hash = column_text(r, 1);
  c.export_file = column_text(r, 2);
  c.export_sha256 = column_text(r, 3);
  c.signature = column_text(r, 4);
  return c;
}

}  // namespace

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return hex(digest, length);
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) EVP_DigestUpdate(ctx, buf, in.gcount());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  return hex(digest, length);
}

std::optional<PruneCheckpoint> latest_prune_checkpoint(soci::session& sql, std::int64_t before_id) {
  long long before = before_id > 0 ? before_id : INT64_MAX;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT last_id, last_hash, export_file, export_sha256, signature FROM "
                      "ps_audit_checkpoints WHERE kind = 'prune' AND last_id < :b "
                      "ORDER BY last_id DESC, id DESC LIMIT 1",
       soci::use(before));
  for (const auto& r : rows) return read_prune_checkpoint(r);
  return std::nullopt;
}

bool prune_checkpoint_valid(const PruneCheckpoint& c, const std::string& key) {
  return !key.empty() && hmac_sha256_hex(key, checkpoint_message(c.last_id, c.last_hash,
                                                                 c.export_sha256)) == c.signature;
}

Status durable_rename(const std::string& temp, const std::string& path) {
  int fd = open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error("cannot open " + temp + ": " + std::strerror(errno));
  bool synced = fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!synced) return Status::error("cannot sync " + temp + " to disk: " + std::strerror(saved));
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    return Status::error("cannot rename " + temp + ": " + std::strerror(errno));
  // The rename is durable only once the directory entry is on disk too.
  auto dir = std::filesystem::path(path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Status::error("cannot open " + dir + ": " + std::strerror(errno));
  synced = fsync(dfd) == 0;
  saved = errno;
  close(dfd);
  if (!synced) return Status::error("cannot sync " + dir + " to disk: " + std::strerror(saved));
  return Status::ok();
}

Result<PruneReport> prune_change_log(soci::session& sql, const std::string& key,
                                     const PruneRequest& request) {
  using R = Result<PruneReport>;
  PruneReport report;
  try {
    auto previous = latest_prune_checkpoint(sql);
    std::int64_t first = previous ? previous->last_id + 1 : 1;
    // The prefix of the chain older than the cutoff.
    std::int64_t last = first - 1;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT id, at FROM ps_change_log ORDER BY id");
      for (const auto& r : rows) {
        if (column_text(r, 1) >= request.cutoff_utc) break;
        last = column_int(r, 0);
      }
    }
    auto kept = keep_intents_with_outcomes(sql, last);
    if (kept < last)
      report.held_back = "stopped before record " + std::to_string(kept + 1) +
                         ", an intent whose outcome is newer than the cutoff or still pending";
    last = kept;
    if (last < first) return report;
    std::filesystem::create_directories(request.export_dir);
    report.last_id = last;
    report.export_file = request.export_dir + "/change-log-" + std::to_string(first) + "-" +
                         std::to_string(last) + ".jsonl";
    auto temp = report.export_file + ".partial";
    std::string last_hash;
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      long long from = first, to = last;
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT " << kStoredColumns
                       << " FROM ps_change_log WHERE id >= :f AND id <= :t ORDER BY id",
           soci::use(from), soci::use(to));
      for (const auto& row : rows) {
        auto s = stored_from_row(row);
        out << export_line(s) << "\n";
        last_hash = s.hash;
        ++report.records;
      }
      out.flush();
      if (!out) return R::failure("cannot write " + temp);
    }
    if (auto st = durable_rename(temp, report.export_file); !st) return R::failure(st.message());
    auto file_hash = sha256_file_hex(report.export_file);
    auto signature = hmac_sha256_hex(key, checkpoint_message(last, last_hash, file_hash));
    long long last_id = last, count = report.records;
    soci::transaction tx(sql);
    sql << "INSERT INTO ps_audit_checkpoints(created_at, last_id, last_hash, records, export_file, "
           "export_sha256, signature, kind) VALUES (:c, :i, :h, :n, :f, :s, :g, 'prune')",
        soci::use(request.now_utc), soci::use(last_id), soci::use(last_hash), soci::use(count),
        soci::use(report.export_file), soci::use(file_hash), soci::use(signature);
    sql << "DELETE FROM ps_change_log WHERE id <= :i", soci::use(last_id);
    tx.commit();
  } catch (const std::exception& e) {
    return R::failure("cannot prune the change log: " + database_error(e));
  }
  return report;
}

Result<ExportReport> verify_export_file(soci::session& sql, const std::string& key,
                                        const std::string& path) {
  ExportReport report;
  auto fail = [&](std::string problem) {
    report.ok = false;
    report.problem = std::move(problem);
    return report;
  };
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored))
    return Result<ExportReport>::failure("cannot read " + path);
  if (key.empty()) return fail("no audit.key_file: the checkpoint's signature cannot be checked");
  try {
    auto file_hash = sha256_file_hex(path);
    std::optional<PruneCheckpoint> checkpoint;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT last_id, last_hash, export_file, export_sha256, signature FROM "
                          "ps_audit_checkpoints WHERE kind = 'prune' AND export_sha256 = :h",
           soci::use(file_hash));
      for (const auto& r : rows) checkpoint = read_prune_checkpoint(r);
    }
    if (!checkpoint)
      return fail("no checkpoint names this file's SHA-256 (" + file_hash +
                  "): it was changed, or it is not an export of this database");
    if (!prune_checkpoint_valid(*checkpoint, key))
      return fail("the checkpoint after record " + std::to_string(checkpoint->last_id) +
                  " does not carry a valid signature");
    auto before = latest_prune_checkpoint(sql, checkpoint->last_id);
    ChainWalker walker(key, read_key_checkpoint(sql), before ? before->last_id : 0,
                       before ? before->last_hash : "");
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      auto s = parse_export_line(line);
      if (!s) return fail("line " + std::to_string(report.records + 1) + " is not a record");
      if (report.records++ == 0) report.first_id = s->record.id;
      if (!walker.feed(*s)) return fail(walker.problem());
    }
    report.last_id = walker.last_id();
    if (!walker.finish()) return fail(walker.problem());
    if (walker.last_id() != checkpoint->last_id || walker.last_hash() != checkpoint->last_hash)
      return fail("the file ends at record " + std::to_string(walker.last_id()) +
                  ", not at the checkpoint's record " + std::to_string(checkpoint->last_id));
  } catch (const std::exception& e) {
    return Result<ExportReport>::failure("cannot read the checkpoints: " + database_error(e));
  }
  report.ok = true;
  return report;
}

}  // namespace ps
