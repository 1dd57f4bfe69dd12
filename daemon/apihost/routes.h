// The contract's endpoints (docs/apihost-protocol.md) on the admin HTTP server. Bodies are parsed
// on the event loop; the directory work runs on the one worker thread that owns the
// DirectoryService, and the answer is posted back to the loop (admin::Offload::run_on_worker).
#pragma once

#include "daemon/admin/offload.h"
#include "daemon/admin/router.h"
#include "daemon/apihost/directory_service.h"

namespace ps::apihost {

// `handler` made to answer exactly once: an exception it throws becomes a 500 unless it has
// answered already (the admin server's own catch would answer a second time).
admin::AsyncHandler answer_once(admin::AsyncHandler handler);

// `offload` runs the directory work on the worker thread that owns `service`.
admin::Router make_routes(admin::Offload offload, DirectoryService& service);

}  // namespace ps::apihost
