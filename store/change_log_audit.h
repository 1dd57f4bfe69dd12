// The change log's tamper evidence and auditor queries over a session, for SociPortalStore's
// ChangeLogAudit side (store/store_audit.cc). Records are sealed as they are written
// (store/change_log_seal.h); verify walks the chain from the latest checkpoint on.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "core/audit_log.h"
#include "core/result.h"

namespace ps {

// Checks every record, the checkpoints' signatures and the anchors (`key` empty: what can be
// checked without it, reported not tamper-evident).
Result<ChainReport> verify_change_log(soci::session& sql, const std::string& key,
                                      const std::vector<AuditAnchor>& anchors);

// The newest record's id and hash, or the latest checkpoint's; seq 0 for an empty log.
Result<AuditAnchor> change_log_anchor(soci::session& sql);

// The newest account record's subject id under `username` (ChangeLogAudit::former_account_id).
Result<std::optional<RowId>> change_log_account_id(soci::session& sql, const std::string& username);
// Records matching the filter, oldest first, at most filter.limit of them after filter.after_id.
Result<std::vector<ChangeRecord>> query_change_log(soci::session& sql, const AuditFilter& filter);

}  // namespace ps
