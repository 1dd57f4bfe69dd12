// The admin endpoints that change things by hand: reserved changes, handover checks, custody,
// password set and unlock (and, beside them, the read of an account's directory entry). Each calls
// the same daemon/actions function as its CLI command, with the token's name as the change log's
// actor. All run on a worker (admin_api.h): password set and unlock on the service's, as they must
// not overlap a run, the others on the API's own.
#include <cstdlib>
#include <variant>

#include "core/json.h"
#include "core/portal_lookup.h"
#include "daemon/actions/custody.h"
#include "daemon/actions/directory_account.h"
#include "daemon/actions/directory_entry_view.h"
#include "daemon/actions/scheduling.h"
#include "daemon/admin/json_body.h"
#include "daemon/admin/wipe.h"
#include "daemon/service/admin_api.h"
#include "daemon/service/request_scope.h"
#include "daemon/wiring/runtime.h"

namespace ps {

using actions::ActionError;
using actions::ActionResult;
using actions::Refusal;
using admin::AdminRequest;
using admin::AdminResponse;
using admin::JsonBody;

namespace {

AdminResponse bad_request(std::string_view field, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").value("bad_request");
  if (!field.empty()) w.key("field").value(field);
  w.key("message").value(message).end_object();
  return AdminResponse::json(400, w);
}

// Status and stable code of each refusal (docs/admin-api.md, "Errors").
AdminResponse refusal(const ActionError& e, std::string_view conflict_code = "conflict") {
  if (e.refusal == Refusal::bad_request) return bad_request(e.field, e.message);
  auto [status, code] = [&]() -> std::pair<int, std::string_view> {
    switch (e.refusal) {
      case Refusal::not_found:
        return {404, "not_found"};
      case Refusal::conflict:
        return {409, conflict_code};
      case Refusal::policy_refused:
        return {422, "policy_refused"};
      case Refusal::directory_refused:
        return {502, "directory_refused"};
      case Refusal::directory_unavailable:
        return {503, "directory_unavailable"};
      default:
        return {500, "failed"};
    }
  }();
  JsonWriter w;
  w.begin_object().key("error").value(code).key("message").value(e.message);
  if (!e.rules.empty()) w.key("rules").strings(e.rules);
  w.end_object();
  return AdminResponse::json(status, w);
}

AdminResponse store_error(const std::string& message) {
  return AdminResponse::error(500, "store_error", message);
}

// A scheduled change of an account outside the token's units reads as one that does not exist.
std::optional<AdminResponse> outside_scope(const AdminRequest& r, PortalStore& store,
                                           const PortalSnapshot& portal, RowId id) {
  if (r.scope.empty()) return std::nullopt;
  auto changes = store.load_scheduled_changes();
  if (!changes) return store_error(changes.error());
  auto scope = scope_of(r.scope, portal);
  for (const auto& c : changes.value()) {
    if (c.id != id) continue;
    const auto* account = find_account(portal, c.account_id);
    if (account && scope.has_unit(account->org_unit_id)) return std::nullopt;
  }
  return refusal(actions::refuse(Refusal::not_found,
                                 "scheduled change " + std::to_string(id) + " does not exist"));
}

// The body as a JSON object with only `known` keys, or the 400 saying what is wrong.
std::variant<JsonBody, AdminResponse> read_body(const AdminRequest& r,
                                                std::initializer_list<std::string_view> known) {
  auto body = JsonBody::parse(r.body);
  if (!body) return bad_request("", body.error());
  if (auto st = body->only_keys(known); !st) return bad_request("", st.message());
  return std::move(body.value());
}

}  // namespace

// POST /v1/scheduled-changes: {"username", "kind", "at", "reason", "to_unit"?, "role"?}.
AdminResponse AdminApi::add_scheduled_change(const AdminRequest& r) {
  auto parsed = read_body(r, {"username", "kind", "at", "reason", "to_unit", "role"});
  if (auto* reply = std::get_if<AdminResponse>(&parsed)) return std::move(*reply);
  const auto& body = std::get<JsonBody>(parsed);
  actions::ScheduleRequest request;
  for (auto [key, out] : {std::pair{"username", &request.username},
                          {"kind", &request.kind},
                          {"at", &request.at},
                          {"reason", &request.reason}}) {
    auto text = body.string(key);
    if (!text) return bad_request(key, text.error());
    *out = text.value();
  }
  for (auto [key, out] : {std::pair{"to_unit", &request.unit_code}, {"role", &request.role}}) {
    auto text = body.optional_string(key);
    if (!text) return bad_request(key, text.error());
    *out = text.value().value_or("");
  }
  auto portal = store_->load_snapshot();
  if (!portal) return store_error(portal.error());
  // The account and a transfer's unit are looked up in the token's scope: a transfer into it or
  // out of it fails as for an account or a unit that does not exist. The handover check and the
  // record see the whole portal.
  PortalSnapshot scoped;
  auto change =
      actions::make_scheduled_change(scope_view(r.scope, portal.value(), scoped), request);
  if (!change) return refusal(change.failure());
  // The portal asks at once, rather than finding a "blocked" row on the day.
  if (auto blocked = actions::handover_block(portal.value(), change.value()))
    return refusal(*blocked, "blocked");
  auto saved = actions::save_scheduled_changes(*store_, portal.value(), {change.value()}, r.actor);
  if (!saved) return refusal(saved.failure());
  // The run sets the timer for it (and carries it out if it is due already).
  on_loop([this, why = "scheduled change added by " + r.actor] {
    service_.request_run(why, false, SyncService::RunKind::journal);
  });
  const auto& c = saved->front();
  JsonWriter w;
  w.begin_object()
      .key("id")
      .value(static_cast<std::int64_t>(c.id))
      .key("username")
      .value(request.username)
      .key("kind")
      .value(c.kind)
      .key("effective_at")
      .value(c.effective_at)
      .key("state")
      .value(to_string(c.state))
      .key("requested_by")
      .value(c.requested_by)
      .end_object();
  return AdminResponse::json(201, w);
}

AdminResponse AdminApi::cancel_scheduled_change(const AdminRequest& r) {
  const auto& text = r.param("id");
  char* end = nullptr;
  auto id = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || id <= 0) return bad_request("id", "id: not a scheduled change id: " + text);
  auto portal = store_->load_snapshot();
  if (!portal) return store_error(portal.error());
  if (auto refused = outside_scope(r, *store_, portal.value(), id)) return std::move(*refused);
  auto cancelled = actions::cancel_scheduled_change(*store_, portal.value(), id, r.actor);
  if (!cancelled) return refusal(cancelled.failure());
  JsonWriter w;
  w.begin_object().key("id").value(static_cast<std::int64_t>(id));
  w.key("state").value("cancelled").end_object();
  return AdminResponse::json(200, w);
}

AdminResponse AdminApi::handover(const AdminRequest& r) {
  auto portal = store_->load_snapshot();
  if (!portal) return store_error(portal.error());
  PortalSnapshot scoped;
  const auto& view = lookup_view(r.scope, portal.value(), {r.param("username")}, scoped);
  auto report = actions::handover_report(view, r.param("username"));
  if (!report) return refusal(report.failure());
  JsonWriter w;
  w.begin_object()
      .key("username")
      .value(report->username)
      .key("status")
      .value(report->status)
      .key("unit")
      .value(report->unit)
      .key("agency")
      .value(report->agency)
      .key("blocked")
      .value(!report->problems.empty())
      .key("problems")
      .strings(report->problems)
      .end_object();
  return AdminResponse::json(200, w);
}

// POST /v1/custody/{shared}: {"custodian": "<username>"}.
AdminResponse AdminApi::transfer_custody(const AdminRequest& r) {
  auto parsed = read_body(r, {"custodian"});
  if (auto* reply = std::get_if<AdminResponse>(&parsed)) return std::move(*reply);
  auto custodian = std::get<JsonBody>(parsed).string("custodian");
  if (!custodian) return bad_request("custodian", custodian.error());
  auto portal = store_->load_snapshot();
  if (!portal) return store_error(portal.error());
  PortalSnapshot scoped;
  const auto& view =
      lookup_view(r.scope, portal.value(), {r.param("shared"), custodian.value()}, scoped);
  auto done =
      actions::transfer_custody(*store_, view, r.param("shared"), custodian.value(), r.actor);
  if (!done) return refusal(done.failure());
  JsonWriter w;
  w.begin_object().key("shared").value(r.param("shared"));
  w.key("custodian").value(custodian.value()).end_object();
  return AdminResponse::json(200, w);
}

namespace {

// What set_password and unlock do on the worker before the directory: the portal row, in the
// token's units, and whether it may be changed.
ActionResult<actions::DirectoryTarget> allowed_target(
    Result<PortalStore*> store, const ScopeCodes& units, const std::string& username,
    std::optional<ActionError> (*refused)(const actions::DirectoryTarget&)) {
  if (!store) return actions::refuse(Refusal::failed, store.error());
  auto portal = store.value()->load_snapshot();
  if (!portal) return actions::refuse(Refusal::failed, portal.error());
  PortalSnapshot scoped;
  auto target = actions::find_directory_target(
      lookup_view(units, portal.value(), {username}, scoped), username);
  if (!target) return target;
  if (auto why = refused(target.value())) return *why;
  return target;
}

AdminResponse done_response(const actions::ActionResult<std::string>& done) {
  if (!done) return refusal(done.failure());
  JsonWriter w;
  w.begin_object().key("done").value(true).key("message").value(done.value()).end_object();
  return AdminResponse::json(200, w);
}

}  // namespace

// POST /v1/accounts/{username}/password: {"password": "...", "must_change": false}. The password
// is checked against the policy before anything is sent, then set on the worker; it is never
// stored or logged, and every copy is wiped (the body by the server, the parsed JSON, this one).
void AdminApi::set_password(const AdminRequest& r, admin::Respond respond) {
  auto parsed = read_body(r, {"password", "must_change"});
  if (auto* reply = std::get_if<AdminResponse>(&parsed)) return respond(std::move(*reply));
  const auto& body = std::get<JsonBody>(parsed);
  auto text = body.string("password");
  if (!text) return respond(bad_request("password", text.error()));
  auto password = std::make_shared<admin::WipedString>(std::move(text.value()));
  auto must_change = body.optional_boolean("must_change");
  if (!must_change) return respond(bad_request("must_change", must_change.error()));
  service_.on_worker(
      [password, must_change = must_change.value().value_or(false), username = r.param("username"),
       actor = r.actor, units = r.scope](Result<PortalStore*> store, const Config& config) {
        auto done = [&]() -> actions::ActionResult<std::string> {
          auto target = allowed_target(store, units, username, actions::password_refusal);
          if (!target) return target.failure();
          auto policy = password_policy(config);
          if (!policy) return actions::refuse(Refusal::failed, policy.error());
          if (auto weak = actions::policy_refusal(policy.value(), password->view(), username))
            return *weak;
          auto change = actions::password_change(password->view(), must_change);
          return actions::change_in_directory(*store.value(), config, target.value(), change,
                                              actor);
        }();
        return done_response(done);
      },
      std::move(respond));
}

void AdminApi::unlock(const AdminRequest& r, admin::Respond respond) {
  service_.on_worker(
      [username = r.param("username"), actor = r.actor, units = r.scope](Result<PortalStore*> store,
                                                                         const Config& config) {
        auto done = [&]() -> actions::ActionResult<std::string> {
          auto target = allowed_target(store, units, username, actions::unlock_refusal);
          if (!target) return target.failure();
          return actions::change_in_directory(*store.value(), config, target.value(),
                                              actions::unlock_change(), actor);
        }();
        return done_response(done);
      },
      std::move(respond));
}

// GET /v1/accounts/{username}/directory: the linked entry as the directory has it now.
void AdminApi::account_directory(const AdminRequest& r, admin::Respond respond) {
  service_.on_worker(
      [username = r.param("username"), units = r.scope](Result<PortalStore*> store,
                                                        const Config& config) {
        auto target = allowed_target(store, units, username, [](const actions::DirectoryTarget&) {
          return std::optional<ActionError>();
        });
        if (!target) return refusal(target.failure());
        auto view = actions::read_directory_entry(*store.value(), config, target.value());
        if (!view) return refusal(view.failure());
        JsonWriter w;
        w.begin_object().key("username").value(username).key("dn").value(view->dn);
        w.key("state").value(actions::to_string(view->state));
        w.key("locked_since").value(view->locked_since);
        w.key("groups").strings(view->groups).end_object();
        return AdminResponse::json(200, w);
      },
      std::move(respond));
}

}  // namespace ps
