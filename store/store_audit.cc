// SociPortalStore as ChangeLogAudit: the change log for auditors, with the store's own key.
#include "store/change_log_audit.h"
#include "store/change_log_retention.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<ChainReport> SociPortalStore::verify_chain(const std::vector<AuditAnchor>& anchors) {
  return verify_change_log(*sql_, audit_key_, anchors);
}

Result<AuditAnchor> SociPortalStore::latest_anchor() { return change_log_anchor(*sql_); }

Result<std::vector<ChangeRecord>> SociPortalStore::query_records(const AuditFilter& filter) {
  return query_change_log(*sql_, filter);
}

Result<std::optional<RowId>> SociPortalStore::former_account_id(const std::string& username) {
  return change_log_account_id(*sql_, username);
}

// A prune deletes evidence: only over a chain that verifies with the key, so that tampering is
// never pruned away and covered by a fresh signature.
Result<PruneReport> SociPortalStore::prune_records(const PruneRequest& request) {
  using R = Result<PruneReport>;
  if (audit_key_.empty())
    return R::failure("needs audit.key_file: the checkpoint is signed with it");
  auto report = verify_change_log(*sql_, audit_key_, {});
  if (!report) return R::failure(report.error());
  if (report->verdict == ChainVerdict::broken)
    return R::failure("refused: the change log does not verify (" + report->problem +
                      "); nothing was exported or deleted");
  if (report->verdict != ChainVerdict::intact)
    return R::failure("refused: the change log is not tamper-evident (" + report->weakness + ")");
  return prune_change_log(*sql_, audit_key_, request);
}

Result<ExportReport> SociPortalStore::verify_export(const std::string& path) {
  return verify_export_file(*sql_, audit_key_, path);
}

}  // namespace ps
