#include "daemon/apihost/routes.h"

#include <memory>

#include "core/json.h"
#include "daemon/admin/wipe.h"

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

// 403 for what the host will not do (outside the subtree, a cookie it never gave or that
// expired), 503 for a directory it cannot read now.
AdminResponse read_failure(const Result<ReadPage>& page) {
  switch (page.code()) {
    case StatusCode::refused:
    case StatusCode::invalid:
    case StatusCode::not_found:
      return AdminResponse::error(403, "refused", page.error());
    default:
      return AdminResponse::error(503, "directory_unavailable", page.error());
  }
}

}  // namespace

admin::AsyncHandler answer_once(admin::AsyncHandler handler) {
  return [handler = std::move(handler)](const AdminRequest& request, Respond respond) {
    // Every call of `guarded` happens on the loop (the workers post theirs there).
    auto answered = std::make_shared<bool>(false);
    auto target = std::make_shared<Respond>(std::move(respond));
    Respond guarded = [answered, target](AdminResponse reply) {
      if (*answered) return;
      *answered = true;
      (*target)(std::move(reply));
    };
    try {
      handler(request, guarded);
    } catch (const std::exception& e) {
      guarded(AdminResponse::error(500, "internal_error", e.what()));
    } catch (...) {
      guarded(AdminResponse::error(500, "internal_error", "an unknown exception"));
    }
  };
}

// The handlers keep their own copy of `offload` ([=]).
admin::Router make_routes(admin::Offload offload, DirectoryService& service) {
  admin::Router router;
  router.add_async("GET", "/v1/health",
                   answer_once([=, &service](const AdminRequest&, Respond respond) {
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
                   }),
                   admin::Access::public_);
  router.add_async(
      "POST", "/v1/read", answer_once([=, &service](const AdminRequest& r, Respond respond) {
        auto request = decode_read_request(r.body);
        if (!request) return respond(AdminResponse::error(400, "bad_request", request.error()));
        on_worker(offload, std::move(respond),
                  [&service, request = std::move(request.value()), caller = caller_of(r)] {
                    auto page = service.read(request, caller);
                    if (!page) return read_failure(page);
                    return AdminResponse::json(200, encode_read_page(page.value()));
                  });
      }));
  router.add_async(
      "POST", "/v1/batch", answer_once([=, &service](const AdminRequest& r, Respond respond) {
        auto ops = decode_batch(r.body);
        if (!ops) return respond(AdminResponse::error(400, "bad_request", ops.error()));
        // The passwords of set_password are wiped once applied (the server wipes the body itself).
        auto wiped = std::shared_ptr<std::vector<WireOp>>(
            new std::vector<WireOp>(std::move(ops.value())), [](std::vector<WireOp>* list) {
              for (auto& op : *list) admin::wipe(op.password);
              delete list;
            });
        on_worker(offload, std::move(respond), [&service, wiped, caller = caller_of(r)] {
          auto results = service.apply(*wiped, caller);
          if (!results) return AdminResponse::error(500, "request_log_failed", results.error());
          return AdminResponse::json(200, encode_results(results.value()));
        });
      }));
  return router;
}

}  // namespace ps::apihost
