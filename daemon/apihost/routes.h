// The contract's endpoints (docs/apihost-protocol.md) on the admin HTTP server. Bodies are parsed
// on the event loop; the directory work runs on the one worker thread that owns the
// DirectoryService, and the answer is posted back to the loop.
#pragma once

#include <boost/asio/io_context.hpp>

#include "daemon/admin/router.h"
#include "daemon/apihost/directory_service.h"

namespace ps::apihost {

// `handler` made to answer exactly once: an exception it throws becomes a 500 unless it has
// answered already (the admin server's own catch would answer a second time).
admin::AsyncHandler answer_once(admin::AsyncHandler handler);

admin::Router make_routes(boost::asio::io_context& loop, boost::asio::io_context& worker,
                          DirectoryService& service);

}  // namespace ps::apihost
