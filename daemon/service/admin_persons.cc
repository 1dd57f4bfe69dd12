// POST /v1/persons/accounts: one person's accounts for a sign-on service's account chooser. The
// national ID comes in the JSON body only, never in the URL (proxies and servers log URLs), and
// no answer or log line repeats it.
#include "core/json.h"
#include "core/person_accounts.h"
#include "daemon/admin/json_body.h"
#include "daemon/service/admin_api.h"
#include "daemon/service/request_scope.h"

namespace ps {

using admin::AdminRequest;
using admin::AdminResponse;

namespace {

void write_unit(JsonWriter& w, const char* name, const char* code, const OrgUnit* unit) {
  w.key(name).value(unit ? unit->name : "").key(code).value(unit ? unit->code : "");
}

}  // namespace

AdminResponse AdminApi::person_accounts(const AdminRequest& r) const {
  if (!r.query.empty())
    return AdminResponse::error(400, "bad_request",
                                "POST /v1/persons/accounts takes no query string: send the "
                                "national ID in the JSON body {\"national_id\": ...}");
  auto body = admin::JsonBody::parse(r.body);
  if (!body) return AdminResponse::error(400, "bad_request", body.error());
  if (auto known = body->only_keys({"national_id"}); !known)
    return AdminResponse::error(400, "bad_request", known.message());
  auto id = body->string("national_id");
  if (!id) return AdminResponse::error(400, "bad_request", id.error());
  if (!plausible_national_id(id.value()))
    return AdminResponse::error(400, "bad_request",
                                "\"national_id\" must be 1 to 32 letters and digits");
  auto portal = store_->load_snapshot();
  if (!portal) return AdminResponse::error(500, "store_error", portal.error());
  PortalSnapshot scoped;
  const auto& view = scope_view(r.scope, portal.value(), scoped);
  JsonWriter w;
  w.begin_object().key("accounts").begin_array();
  for (const auto& found : ps::person_accounts(view, id.value())) {
    const auto& a = *found.account;
    w.begin_object().key("username").value(a.username());
    w.key("display_name").value(a.display_name()).key("title").value(a.title());
    w.key("status").value(a.status()).key("enabled").value(a.status() == "enabled");
    w.key("locked").value(a.locked);
    write_unit(w, "agency", "agency_code", found.agency);
    write_unit(w, "unit", "unit_code", found.unit);
    w.end_object();
  }
  w.end_array().end_object();
  return AdminResponse::json(200, w);
}

}  // namespace ps
