// portalsync-apihost: serves the API-host contract (docs/apihost-protocol.md) next to Active
// Directory, so the portal tier reaches the directory through one HTTPS port and holds no domain
// credentials. A separate executable from portalsyncd: it runs in another zone, with other
// credentials and another configuration file, and needs none of the portal, planner or scheduler
// code.
//
//   portalsync-apihost -c /etc/portalsync/apihost.yaml [--check]
//
// SIGHUP reloads the file (daemon/apihost/host_reload.h); SIGTERM/SIGINT stop after the batch
// being applied.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <string>
#include <thread>

#include "daemon/admin/server.h"
#include "daemon/apihost/directory_service.h"
#include "daemon/apihost/host_config.h"
#include "daemon/apihost/host_reload.h"
#include "daemon/apihost/record_pruner.h"
#include "daemon/apihost/request_log.h"
#include "daemon/apihost/routes.h"
#include "daemon/wiring/stderr_logger.h"
#include "daemon/wiring/version.h"

namespace {

namespace net = boost::asio;

// A configuration's errors (one per line) as one log line.
std::string one_line(std::string text) {
  for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at))
    text.replace(at, 1, "; ");
  return text;
}

int usage(const char* why) {
  std::cerr << "portalsync-apihost: " << why
            << "\nusage: portalsync-apihost -c FILE [--check]\n"
               "       portalsync-apihost --version\n"
               "  -c FILE   the API host's configuration (docs/operations.md)\n"
               "  --check   load and check the configuration, then exit\n"
               "  --version print the version and exit\n";
  return 2;
}

// SIGHUP, again and again until the host stops (the wait is cancelled then).
void reload_on_sighup(net::signal_set& signals, const std::string& path,
                      ps::apihost::RunningHost& host) {
  signals.async_wait([&signals, &path, &host](boost::system::error_code ec, int) {
    if (ec) return;
    if (auto s = ps::apihost::reload_host(path, host); !s)
      host.log.log(
          ps::LogLevel::error,
          "apihost: reload refused, keeping the running configuration: " + one_line(s.message()));
    reload_on_sighup(signals, path, host);
  });
}

// The worker's RequestLog for batches and the pruner's own connection to the same file.
int serve(const std::string& path, ps::apihost::HostConfig config, ps::StderrLogger& log) {
  auto requests = ps::apihost::RequestLog::open(config.database);
  auto pruning = ps::apihost::RequestLog::open(config.database);
  for (const auto* opened : {&requests, &pruning}) {
    if (*opened) continue;
    log.log(ps::LogLevel::error, opened->error());
    return 1;
  }
  ps::apihost::DirectoryService service(config, *requests.value(), log);
  if (auto s = service.ping(); !s)
    log.log(ps::LogLevel::warning, "apihost: " + s.message() + " (retried on each request)");
  net::io_context loop, worker;
  auto work = net::make_work_guard(worker);
  std::thread worker_thread([&worker] { worker.run(); });
  ps::apihost::RecordPruner pruner(loop, std::move(pruning.value()), config.retain_days, log);
  ps::admin::AdminServer server(
      loop, config.http,
      ps::apihost::make_routes(ps::admin::Offload(loop.get_executor(), worker.get_executor(), log),
                               service),
      log);
  ps::apihost::RunningHost host{config, server, log, service, worker, pruner};
  // Installed before "listening" is logged: a SIGHUP from then on reloads, never kills.
  net::signal_set stop_signals(loop, SIGINT, SIGTERM), reload_signal(loop, SIGHUP);
  int status = 0;
  if (auto s = server.start(); !s) {
    log.log(ps::LogLevel::error, "apihost: " + s.message());
    status = 1;
  } else {
    stop_signals.async_wait([&](boost::system::error_code, int) {
      log.log(ps::LogLevel::notice, "apihost: stopping");
      server.stop();
      pruner.stop();
      reload_signal.cancel();
    });
    reload_on_sighup(reload_signal, path, host);
    pruner.start();
    log.log(ps::LogLevel::notice,
            "apihost: listening on " + server.url() + ", managing " + config.allowed_base_dn);
    loop.run();
  }
  work.reset();
  worker.stop();
  worker_thread.join();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "-c" || arg == "--config") && i + 1 < argc)
      config_path = argv[++i];
    else if (arg == "--check")
      check = true;
    else if (arg == "--version")
      return std::cout << "portalsync-apihost " << ps::version() << "\n", 0;
    else if (arg == "-h" || arg == "--help")
      return usage("serves the API-host contract"), 0;
    else
      return usage(("unknown argument " + arg).c_str());
  }
  if (config_path.empty()) return usage("-c FILE is required");
  auto config = ps::apihost::load_host_config(config_path);
  if (!config) {
    std::cerr << config.error() << "\n";
    return 2;
  }
  for (const auto& warning : config->warnings) std::cerr << "warning: " << warning << "\n";
  if (check) {
    std::cout << config_path << ": ok\n";
    return 0;
  }
  ps::StderrLogger log(ps::parse_log_level(config->log_level));
  return serve(config_path, std::move(config.value()), log);
}
