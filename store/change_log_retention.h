// Retention of the change log (audit.retain_days): after the chain verified, sealed records older
// than the cutoff are exported to a JSON-lines file holding every column their hashes cover
// (fsynced, renamed into place, directory fsynced) and only then deleted, leaving a checkpoint
// that names the last pruned record and its hash and the export's SHA-256, signed with
// HMAC-SHA256 under the audit key. The remaining chain continues from it, and `audit verify
// --export FILE` re-checks the file against it.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/audit_log.h"
#include "core/result.h"

namespace ps {

struct PruneCheckpoint {
  std::int64_t last_id = 0;
  std::string last_hash, export_file, export_sha256, signature;
};

// The prune checkpoint with the highest last_id (below `before_id` when given).
std::optional<PruneCheckpoint> latest_prune_checkpoint(soci::session& sql,
                                                       std::int64_t before_id = 0);
bool prune_checkpoint_valid(const PruneCheckpoint& c, const std::string& key);

// Prunes (the caller verified the chain first). Stops early so that an intent and its outcome
// record are pruned together.
Result<PruneReport> prune_change_log(soci::session& sql, const std::string& key,
                                     const PruneRequest& request);

// Re-checks a prune's export: the checkpoint that names its SHA-256 and signature, and every
// record's hash from the chain position before it to the checkpoint's record.
Result<ExportReport> verify_export_file(soci::session& sql, const std::string& key,
                                        const std::string& path);

std::string hmac_sha256_hex(const std::string& key, const std::string& message);
std::string sha256_file_hex(const std::string& path);

// Moves `temp` to `path` durably: fsyncs the file, renames, fsyncs the directory. Closes every
// descriptor it opens, also on failure.
Status durable_rename(const std::string& temp, const std::string& path);

}  // namespace ps
