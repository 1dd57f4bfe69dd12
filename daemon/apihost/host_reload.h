// SIGHUP for portalsync-apihost: the configuration file is read again, and what a running host can
// change takes effect for the next requests: the tokens, log.level, the directory connection,
// allowed_base_dn and idempotency.retain_days. The listening socket, the TLS files, the client CA,
// the database and the limits are bound at start: a change to them is logged and waits for a
// restart. A file that does not load changes nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <string>

#include "core/result.h"
#include "daemon/admin/server.h"
#include "daemon/apihost/directory_service.h"
#include "daemon/apihost/host_config.h"
#include "daemon/apihost/record_pruner.h"
#include "daemon/wiring/stderr_logger.h"

namespace ps::apihost {

// The parts of a running host a reload reaches.
struct RunningHost {
  HostConfig& config;  // what runs; replaced by a reload that succeeds
  admin::AdminServer& server;
  StderrLogger& log;
  DirectoryService& service;
  boost::asio::io_context& worker;  // the only thread that touches `service`
  RecordPruner& pruner;
};

// On the event loop. Ok, or why the file was refused (every error in it); then nothing changed.
Status reload_host(const std::string& path, RunningHost& host);

}  // namespace ps::apihost
