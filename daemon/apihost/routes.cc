#include "daemon/apihost/routes.h"

#include "core/json.h"

namespace ps::apihost {

namespace {

using admin::AdminRequest;
using admin::AdminResponse;
using admin::Respond;

// "portal-sync (CN=portal-app-01,O=Tainan)": the token's name and the certificate's subject.
std::string caller_of(const AdminRequest& r) {
  std::string caller = r.actor.empty() ? "anonymous" : r.actor;
  if (!r.client_subject.empty()) caller += " (" + r.client_subject + ")";
  return caller;
}

// Runs `work` on the worker and hands its response to `respond` on the loop: the shared
// admin::Offload::run_on_worker (500 when it throws, `respond` called once, on the loop).
template <class Work>
void on_worker(const admin::Offload& offload, Respond respond, Work work) {
  offload.run_on_worker(std::move(work), std::move(respond));
}

}  // namespace

// The handlers keep their own copy of `offload` ([=]).
admin::Router make_routes(admin::Offload offload, DirectoryService& service) {
  admin::Router router;
  router.add_async(
      "GET", "/v1/health",
      [=, &service](const AdminRequest&, Respond respond) {
        on_worker(offload, std::move(respond), [&service] {
          auto reachable = service.ping();
          JsonWriter w;
          w.begin_object().key("status").value(reachable ? "ok" : "degraded");
          w.key("contract")
              .value("v1")
              .key("directory")
              .value(reachable ? "reachable" : reachable.message());
          w.end_object();
          return AdminResponse::json(reachable ? 200 : 503, w);
        });
      },
      admin::Access::public_);
  router.add_async("POST", "/v1/read", [=, &service](const AdminRequest& r, Respond respond) {
    auto request = decode_read_request(r.body);
    if (!request) return respond(AdminResponse::error(400, "bad_request", request.error()));
    on_worker(offload, std::move(respond),
              [&service, request = std::move(request.value()), caller = caller_of(r)] {
                auto page = service.read(request, caller);
                if (!page) {
                  bool refused = page.error().find(": refused:") != std::string::npos ||
                                 page.error().find("cookie") != std::string::npos;
                  return AdminResponse::error(refused ? 403 : 503,
                                              refused ? "refused" : "directory_unavailable",
                                              page.error());
                }
                return AdminResponse::json(200, encode_read_page(page.value()));
              });
  });
  router.add_async("POST", "/v1/batch", [=, &service](const AdminRequest& r, Respond respond) {
    auto ops = decode_batch(r.body);
    if (!ops) return respond(AdminResponse::error(400, "bad_request", ops.error()));
    on_worker(offload, std::move(respond),
              [&service, ops = std::move(ops.value()), caller = caller_of(r)] {
                auto results = service.apply(ops, caller);
                if (!results)
                  return AdminResponse::error(500, "request_log_failed", results.error());
                return AdminResponse::json(200, encode_results(results.value()));
              });
  });
  return router;
}

}  // namespace ps::apihost
