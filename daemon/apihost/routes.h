// The contract's endpoints (docs/apihost-protocol.md) on the admin HTTP server. Bodies are parsed
// on the event loop; the directory work runs on the one worker thread that owns the
// DirectoryService, and the answer is posted back to the loop.
#pragma once

#include <boost/asio/io_context.hpp>

#include "daemon/admin/router.h"
#include "daemon/apihost/directory_service.h"

namespace ps::apihost {

admin::Router make_routes(boost::asio::io_context& loop, boost::asio::io_context& worker,
                          DirectoryService& service);

}  // namespace ps::apihost
