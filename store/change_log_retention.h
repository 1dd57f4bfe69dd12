// Retention of the change log (audit.retain_days): sealed records older than the cutoff are
// exported to a JSON-lines file (fsynced) and only then deleted, leaving a checkpoint that names
// the last pruned record and its hash and the export's SHA-256, signed with HMAC-SHA256 under the
// audit key, so the remaining chain still verifies and the export can be checked against it.
#pragma once

#include <soci/soci.h>

#include <string>

#include "core/result.h"

namespace ps {

struct PruneReport {
  std::int64_t records = 0;  // exported and deleted
  std::int64_t last_id = 0;
  std::string export_file;
};

// Prunes sealed records with `at` before `cutoff_utc`, oldest first, up to the first younger one.
Result<PruneReport> prune_change_log(soci::session& sql, const std::string& cutoff_utc,
                                     const std::string& export_dir, const std::string& key,
                                     const std::string& now_utc);

struct Checkpoint {
  std::int64_t last_id = 0;
  std::string last_hash;
  std::string signature_problem;  // "" when the signature verifies (or there is no checkpoint)
};

// The newest checkpoint (last_id 0 when there is none), its signature checked with `key`.
Result<Checkpoint> latest_checkpoint(soci::session& sql, const std::string& key);

std::string hmac_sha256_hex(const std::string& key, const std::string& message);
std::string sha256_file_hex(const std::string& path);

}  // namespace ps
