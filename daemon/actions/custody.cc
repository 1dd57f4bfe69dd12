#include "daemon/actions/custody.h"

#include "core/agency.h"
#include "core/handover.h"
#include "core/json.h"
#include "core/portal_lookup.h"

namespace ps::actions {

ActionResult<HandoverReport> handover_report(const PortalSnapshot& p, const std::string& username) {
  const auto* a = find_account_by_username(p, username);
  if (!a) {
    auto why = find_shared_by_username(p, username)
                   ? username + " is a shared account; handover checks concern personal accounts"
                   : "no account named \"" + username + "\"";
    return refuse(Refusal::not_found, why);
  }
  return HandoverReport{std::string(a->username()), std::string(a->status()),
                        unit_name(p, a->org_unit_id), Agencies(p).agency_name(a->org_unit_id),
                        handover_problems(p, *a)};
}

ActionResult<std::string> transfer_custody(PortalStore& store, const PortalSnapshot& p,
                                           const std::string& shared_name,
                                           const std::string& custodian, const std::string& actor) {
  const auto* shared = find_shared_by_username(p, shared_name);
  if (!shared) return refuse(Refusal::not_found, "no shared account named \"" + shared_name + "\"");
  const auto* to = find_account_by_username(p, custodian);
  if (!to) return refuse(Refusal::not_found, "no account named \"" + custodian + "\"");
  if (to->status() != "enabled")
    return refuse(Refusal::conflict, std::string(to->username()) + " is " +
                                         std::string(to->status()) + ", not enabled");
  if (Agencies agencies(p);
      agencies.rule_unit_of(to->org_unit_id) != agencies.rule_unit_of(shared->org_unit_id))
    return refuse(Refusal::conflict, std::string(to->username()) + " is not in " +
                                         agencies.rule_unit_name(shared->org_unit_id) + ", the " +
                                         (agencies.marked() ? "agency" : "unit") + " of " +
                                         shared->username);
  auto record = manual_record(actor, "custody", "custody", shared->username, shared->id);
  record.kind = SubjectKind::shared_account;
  record.unit_id = shared->org_unit_id;
  record.before_json = "{\"custodian\":" + json_quote(account_name(p, shared->custodian_id)) + "}";
  record.after_json = "{\"custodian\":" + json_quote(std::string(to->username())) + "}";
  if (auto st = store.set_custodian(shared->id, to->id, record); !st)
    return refuse(Refusal::failed, st.message());
  return shared->username + ": custodian is now " + std::string(to->username());
}

}  // namespace ps::actions
