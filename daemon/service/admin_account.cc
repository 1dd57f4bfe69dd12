// GET /v1/accounts/{username}: an account's portal row and entitlements, for the console's
// account page. The national id is never shown.
#include <algorithm>

#include "core/entitlements.h"
#include "core/json.h"
#include "core/portal_lookup.h"
#include "daemon/service/admin_api.h"
#include "daemon/service/request_scope.h"

namespace ps {

using admin::AdminRequest;
using admin::AdminResponse;

namespace {

// The systems the account at `index` of portal.accounts is entitled to, by code.
std::vector<const System*> systems_of(const PortalSnapshot& portal, std::size_t index) {
  std::vector<const System*> out;
  auto id = portal.accounts[index].id;
  for (const auto& [system_id, accounts] : entitled_accounts(portal, {index})) {
    if (std::find(accounts.begin(), accounts.end(), id) == accounts.end()) continue;
    for (const auto& s : portal.systems)
      if (s.id == system_id) out.push_back(&s);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->code < b->code; });
  return out;
}

}  // namespace

AdminResponse AdminApi::account(const AdminRequest& r) const {
  auto portal = store_->load_snapshot();
  if (!portal) return AdminResponse::error(500, "store_error", portal.error());
  const auto& username = r.param("username");
  PortalSnapshot scoped;
  const auto& view = lookup_view(r.scope, portal.value(), {username}, scoped);
  const auto* a = find_account_by_username(view, username);
  if (!a) return AdminResponse::error(404, "not_found", "no account named \"" + username + "\"");
  const auto* unit = find_unit(view, a->org_unit_id);
  JsonWriter w;
  w.begin_object();
  w.key("username").value(a->username()).key("display_name").value(a->display_name());
  w.key("title").value(a->title()).key("role").value(a->role()).key("status").value(a->status());
  w.key("locked").value(a->locked).key("email").value(a->email());
  w.key("last_login_at").value(a->last_login_at());
  w.key("unit").value(unit ? unit->name : "").key("unit_code").value(unit ? unit->code : "");
  w.key("systems").begin_array();
  for (const auto* s : systems_of(view, static_cast<std::size_t>(a - view.accounts.data())))
    w.begin_object().key("code").value(s->code).key("name").value(s->name).end_object();
  w.end_array().end_object();
  return AdminResponse::json(200, w);
}

}  // namespace ps
