// The operator console at /ui/: static files that need no token (they hold no data); the page
// asks the API for everything with the token the user pastes (docs/console.md).
#pragma once

#include "daemon/admin/router.h"

namespace ps {

// GET /ui (redirects), /ui/ (index.html) and /ui/{file}, each with a strict Content-Security-
// Policy, X-Frame-Options: DENY and X-Content-Type-Options: nosniff.
void add_console_routes(admin::Router& router);

}  // namespace ps
