#include "store/change_log_retention.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/audit.h"
#include "store/change_log_audit.h"
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

Result<PruneReport> prune_change_log(soci::session& sql, const std::string& cutoff_utc,
                                     const std::string& export_dir, const std::string& key,
                                     const std::string& now_utc) {
  using R = Result<PruneReport>;
  PruneReport report;
  try {
    // The prefix of the chain that is sealed and older than the cutoff.
    std::vector<ChangeRecord> records;
    std::vector<std::string> hashes;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, at, hash FROM ps_change_log ORDER BY id");
    for (const auto& r : rows) {
      if (r.get_indicator(2) == soci::i_null || column_text(r, 1) >= cutoff_utc) break;
      report.last_id = column_int(r, 0);
      hashes.push_back(column_text(r, 2));
    }
    if (hashes.empty()) return report;
    AuditFilter all;
    all.limit = hashes.size();
    auto exported = query_change_log(sql, all);
    if (!exported) return R::failure(exported.error());
    std::filesystem::create_directories(export_dir);
    report.records = static_cast<std::int64_t>(hashes.size());
    report.export_file = export_dir + "/change-log-" + std::to_string(exported->front().id) + "-" +
                         std::to_string(report.last_id) + ".jsonl";
    auto temp = report.export_file + ".partial";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      for (std::size_t i = 0; i < exported->size(); ++i) {
        auto line = render_audit({exported.value()[i]}, AuditFormat::json, false);
        line.pop_back();  // "[...]\n" -> one object per line with its hash
        out << line.substr(1, line.size() - 2) << " " << hashes[i] << "\n";
      }
      if (!out) return R::failure("cannot write " + temp);
    }
    int fd = open(temp.c_str(), O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) return R::failure("cannot sync " + temp + " to disk");
    close(fd);
    std::filesystem::rename(temp, report.export_file);
    auto file_hash = sha256_file_hex(report.export_file);
    auto signature =
        hmac_sha256_hex(key, checkpoint_message(report.last_id, hashes.back(), file_hash));
    long long last_id = report.last_id, count = report.records;
    soci::transaction tx(sql);
    sql << "INSERT INTO ps_audit_checkpoints(created_at, last_id, last_hash, records, export_file, "
           "export_sha256, signature) VALUES (:c, :i, :h, :n, :f, :s, :g)",
        soci::use(now_utc), soci::use(last_id), soci::use(hashes.back()), soci::use(count),
        soci::use(report.export_file), soci::use(file_hash), soci::use(signature);
    sql << "DELETE FROM ps_change_log WHERE id <= :i", soci::use(last_id);
    tx.commit();
  } catch (const std::exception& e) {
    return R::failure("cannot prune the change log: " + database_error(e));
  }
  return report;
}

Result<Checkpoint> latest_checkpoint(soci::session& sql, const std::string& key) {
  Checkpoint c;
  try {
    long long last_id = 0;
    std::string last_hash, file_hash, signature;
    sql << "SELECT last_id, last_hash, export_sha256, signature FROM ps_audit_checkpoints "
           "ORDER BY id DESC LIMIT 1",
        soci::into(last_id), soci::into(last_hash), soci::into(file_hash), soci::into(signature);
    if (!sql.got_data()) return c;
    c.last_id = last_id;
    c.last_hash = last_hash;
    if (key.empty())
      c.signature_problem = "the checkpoint's signature was not checked: no audit.key_file";
    else if (hmac_sha256_hex(key, checkpoint_message(last_id, last_hash, file_hash)) != signature)
      c.signature_problem = "the checkpoint after record " + std::to_string(last_id) +
                            " does not carry a valid signature";
  } catch (const std::exception& e) {
    return Result<Checkpoint>::failure("cannot read ps_audit_checkpoints: " + database_error(e));
  }
  return c;
}

}  // namespace ps
