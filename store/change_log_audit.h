// The change log's tamper evidence and auditor queries, shared by `portalsync audit` and (later)
// GET /v1/audit. Finished records are sealed, in id order, into a SHA-256 chain: each hash covers
// the previous hash and the record's canonical encoding (core/audit.h), so editing, removing,
// inserting or reordering a sealed record breaks the chain at that record.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "core/audit.h"
#include "core/result.h"

namespace ps {

// Seals every finished record after the last sealed one, stopping at the first still pending.
Status seal_change_log(soci::session& sql);

struct ChainReport {
  bool intact = true;
  std::int64_t sealed = 0;    // records checked
  std::int64_t unsealed = 0;  // records not yet in the chain (the current run's, or pending)
  std::int64_t first_bad_id = 0;
  std::string problem;  // "record 42 was changed", ...
};

// Walks the chain from the latest retention checkpoint (its signature checked with `key`) on.
Result<ChainReport> verify_change_log(soci::session& sql, const std::string& key);

// Records matching the filter, oldest first, at most filter.limit of them after filter.after_id.
Result<std::vector<ChangeRecord>> query_change_log(soci::session& sql, const AuditFilter& filter);

}  // namespace ps
