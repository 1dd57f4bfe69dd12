#include "daemon/actions/scheduling.h"

#include "core/clock.h"
#include "core/handover.h"
#include "core/json.h"
#include "core/lifecycle.h"
#include "core/portal_lookup.h"

namespace ps::actions {

namespace {

ActionError bad(std::string field, std::string message) {
  return refuse(Refusal::bad_request, std::move(message), std::move(field));
}

// The change log's record of adding or cancelling `c`: its own subject kind and id, named by what
// it does to whom ("disable lin.wei"), filed under the account's unit at the time.
ChangeRecord scheduled_change_record(const std::string& actor, const std::string& operation,
                                     const ScheduledChange& c, const PortalSnapshot& portal) {
  const auto* account = find_account(portal, c.account_id);
  auto record =
      manual_record(actor, operation, "scheduled change",
                    c.kind + " " + std::string(account ? account->username() : "?"), c.id);
  record.kind = SubjectKind::scheduled_change;
  record.unit_id = account ? account->org_unit_id : 0;
  record.reason = c.reason;
  JsonWriter after;
  after.begin_object().key("kind").value(c.kind).key("effective_at").value(c.effective_at);
  if (c.target_org_unit_id)
    after.key("to_unit").value(static_cast<std::int64_t>(*c.target_org_unit_id));
  if (!c.target_role.empty()) after.key("role").value(c.target_role);
  after.key("account_id").value(static_cast<std::int64_t>(c.account_id)).end_object();
  record.after_json = after.str();
  return record;
}

}  // namespace

ActionResult<ScheduledChange> make_scheduled_change(const PortalSnapshot& p,
                                                    const ScheduleRequest& r) {
  ScheduledChange c;
  const auto* a = find_account_by_username(p, r.username);
  if (!a) return refuse(Refusal::not_found, "no account named \"" + r.username + "\"");
  c.account_id = a->id;
  c.kind = r.kind;
  auto kind = parse_change_kind(r.kind);
  if (!kind)
    return bad("kind", "kind \"" + r.kind + "\" is not one of disable, enable, transfer, set_role");
  if (kind == ChangeKind::transfer) {
    const auto* u = find_unit_by_code(p, r.unit_code);
    if (!u)
      return bad("to_unit", "transfer needs an existing unit code, got \"" + r.unit_code + "\"");
    c.target_org_unit_id = u->id;
  }
  if (kind == ChangeKind::set_role) {
    if (!parse_role(r.role))
      return bad("role", "set_role needs a role (user, agency_admin, system_admin), got \"" +
                             r.role + "\"");
    c.target_role = r.role;
  }
  if (r.reason.find_first_not_of(' ') == std::string::npos)
    return bad("reason", "a reason is required");
  c.reason = r.reason;
  if (!parse_timestamp(r.at))
    return bad("at", "time \"" + r.at +
                         "\" is not ISO 8601 with an offset (e.g. 2026-12-01T08:00:00+08:00)");
  c.effective_at = r.at;
  return c;
}

ActionResult<std::vector<ScheduledChange>> save_scheduled_changes(PortalStore& store,
                                                                  const PortalSnapshot& portal,
                                                                  std::vector<ScheduledChange> rows,
                                                                  const std::string& requested_by) {
  std::vector<ChangeRecord> records;
  for (auto& r : rows) {
    r.requested_by = requested_by;
    records.push_back(scheduled_change_record(requested_by, "schedule", r, portal));
  }
  if (auto st = store.add_scheduled_changes(rows, std::move(records)); !st)
    return refuse(Refusal::failed, st.message());
  return rows;
}

ActionResult<std::string> cancel_scheduled_change(PortalStore& store, const PortalSnapshot& portal,
                                                  RowId id, const std::string& actor) {
  auto name = "scheduled change " + std::to_string(id);
  auto changes = store.load_scheduled_changes();
  if (!changes) return refuse(Refusal::failed, changes.error());
  const ScheduledChange* found = nullptr;
  for (const auto& c : changes.value())
    if (c.id == id) found = &c;
  if (!found) return refuse(Refusal::not_found, name + " does not exist");
  if (found->state != ChangeState::pending)
    return refuse(Refusal::conflict, name + " is " + std::string(to_string(found->state)) +
                                         ", only pending changes can be cancelled");
  auto record = scheduled_change_record(actor, "cancel", *found, portal);
  // Cancelled or executed since it was loaded: the store says which by the code.
  if (auto st = store.cancel_scheduled_change(id, record); !st)
    return refuse(st.code() == StatusCode::not_found  ? Refusal::not_found
                  : st.code() == StatusCode::conflict ? Refusal::conflict
                                                      : Refusal::failed,
                  st.message());
  return "cancelled " + name;
}

std::optional<ActionError> handover_block(const PortalSnapshot& portal,
                                          const ScheduledChange& change) {
  auto kind = parse_change_kind(change.kind);
  if (kind != ChangeKind::disable && kind != ChangeKind::transfer) return std::nullopt;
  const auto* account = find_account(portal, change.account_id);
  if (!account) return std::nullopt;
  auto problems = handover_problems(portal, *account);
  if (problems.empty()) return std::nullopt;
  return refuse(Refusal::conflict, std::string(account->username()) + " cannot be " +
                                       (kind == ChangeKind::disable ? "disabled" : "transferred") +
                                       " yet: " + join_problems(problems));
}

}  // namespace ps::actions
