// The change log as auditors use it, behind the store port: the chain check, the anchor kept
// outside the database, queries, and retention. SociPortalStore implements it (store/); nothing
// outside store/ needs a database session for auditing. Records are sealed as they are written,
// with HMAC-SHA256 under audit.key_file once `portalsync db init` started keyed sealing
// (docs/audit.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/result.h"

namespace ps {

// The newest record's position and hash: written down outside the database, it lets `audit
// verify --anchor` catch a truncated tail or a chain recomputed from scratch.
struct AuditAnchor {
  std::int64_t seq = 0;
  std::string hash;
};

// "SEQ:HASH", or a log line holding "seq=SEQ" and "hash=HASH"; nullopt when the text has neither.
std::optional<AuditAnchor> parse_anchor(const std::string& text);
std::string format_anchor(const AuditAnchor& anchor);  // "SEQ:HASH"

enum class ChainVerdict {
  intact,              // every record checked with the key, every anchor matched
  broken,              // something was changed, removed, inserted, reordered or left unsealed
  not_tamper_evident,  // nothing wrong found, but without the key the check proves little
};
std::string_view to_string(ChainVerdict v);

struct ChainReport {
  ChainVerdict verdict = ChainVerdict::intact;
  std::int64_t sealed = 0;  // records checked
  std::int64_t first_bad_id = 0;
  std::string problem;          // "record 42 was changed after it was sealed", ...
  std::string weakness;         // why the verdict is not_tamper_evident
  std::int64_t keyed_from = 0;  // first record sealed with the key (0: none yet)
  AuditAnchor head;             // the newest record (or checkpoint) the chain ends at
  int anchors_checked = 0;
  std::vector<std::string> notes;  // anchors that could not be checked (pruned), ...
};

struct PruneRequest {
  std::string cutoff_utc;  // records with `at` before this go
  std::string export_dir;
  std::string now_utc;
};

struct PruneReport {
  std::int64_t records = 0;  // exported and deleted
  std::int64_t last_id = 0;
  std::string export_file;
  std::string held_back;  // why the prune stopped before the cutoff ("" when it did not)
};

struct ExportReport {
  std::int64_t records = 0;
  std::int64_t first_id = 0, last_id = 0;
  bool ok = false;
  std::string problem;
};

class ChangeLogAudit {
 public:
  virtual ~ChangeLogAudit() = default;
  // Walks the chain from the latest checkpoint, checks every hash (with the key from the record
  // where keyed sealing started) and each anchor.
  virtual Result<ChainReport> verify_chain(const std::vector<AuditAnchor>& anchors) = 0;
  // The newest sealed record's id and hash (or the latest checkpoint's after everything was
  // pruned).
  virtual Result<AuditAnchor> latest_anchor() = 0;
  // The id of the account the change log last knew by `username` (its newest account record of
  // that name): an account the portal no longer has. nullopt when no record names it.
  virtual Result<std::optional<RowId>> former_account_id(const std::string& username) = 0;
  // Records matching the filter, oldest first, at most filter.limit of them after filter.after_id.
  // Outcome records are folded into their intent (the intent shows the result).
  virtual Result<std::vector<ChangeRecord>> query_records(const AuditFilter& filter) = 0;
  // Verifies first and refuses when the chain is not intact; then exports and deletes the sealed
  // records older than the cutoff, leaving a signed checkpoint.
  virtual Result<PruneReport> prune_records(const PruneRequest& request) = 0;
  // Re-checks an export file of a prune: every record's hash, and the file against its checkpoint.
  virtual Result<ExportReport> verify_export(const std::string& path) = 0;
};

}  // namespace ps
