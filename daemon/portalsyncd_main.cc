// portalsyncd: the sync service under systemd. One event loop runs the scheduler and the admin
// HTTP endpoint; SIGHUP reloads the configuration, SIGTERM/SIGINT stop
// after the operations in flight.
#include <utility>  // before Boost 1.74 Asio, which uses std::exchange without it

#include <boost/asio.hpp>
#include <cstdio>

#include "daemon/cli/args.h"
#include "daemon/service/admin_api.h"
#include "daemon/service/sync_service.h"
#include "daemon/wiring/stderr_logger.h"
#include "daemon/wiring/version.h"

namespace {

const char* kUsage = R"(usage: portalsyncd [-c FILE]
       portalsyncd --version

Keeps the directory in step with the portal: syncs as soon as the portal's change journal moves,
reconciles everything every sync.interval_seconds, runs reserved changes when they fall due and
idle-disable daily at daemon.idle_disable_at. SIGHUP reloads FILE (an invalid file is refused and
the running configuration kept); SIGTERM stops after the operations in flight.
Default FILE: /etc/portalsync/portalsync.yaml
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace ps;
  namespace asio = boost::asio;
  auto args = cli::Args::parse(
      {argv + 1, argv + argc},
      {{"--config", "-c", true}, {"--help", "-h", false}, {"--version", "", false}});
  if (!args) {
    std::fprintf(stderr, "portalsyncd: %s\n", args.error().c_str());
    return 1;
  }
  if (args->has("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (args->has("--version")) {
    std::printf("portalsyncd %s\n", version());
    return 0;
  }
  auto path = args->value_or("--config", "/etc/portalsync/portalsync.yaml");
  auto config = load_config(path);
  if (!config) {
    std::fprintf(stderr, "portalsyncd: invalid configuration:\n%s\n", config.error().c_str());
    return 1;
  }
  StderrLogger log(parse_log_level(config->log.level));
  for (const auto& w : config->warnings) log.log(LogLevel::warning, w);

  asio::io_context io;
  SystemdNotifier notify;
  SyncService service(io, config.value(), log, notify);
  if (auto st = service.start(); !st) {
    log.log(LogLevel::error, "cannot start: " + st.message());
    return 1;
  }

  // The admin API: its own portal connection, used on its own worker thread.
  AdminApi api(io, service, log);
  std::unique_ptr<admin::AdminServer> server;
  if (config->admin.enabled) {
    server =
        std::make_unique<admin::AdminServer>(io, admin_settings(config.value()), api.routes(), log);
    if (auto st = server->start(); !st) {
      log.log(LogLevel::error, "cannot start: " + st.message());
      return 1;
    }
    api.set_server(server.get());
    log.log(LogLevel::info, "admin API at " + server->url());
  }

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    log.log(LogLevel::info, "portalsyncd stopping");
    notify.stopping();
    if (server) server->stop();
    service.stop([&] { io.stop(); });
  });
  asio::signal_set reload_signal(io, SIGHUP);
  std::function<void()> wait_reload = [&] {
    reload_signal.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      notify.reloading();
      auto fresh = load_config(path);
      auto reloadable = fresh ? service.reloadable(fresh.value()) : Status::error(fresh.error());
      if (!reloadable) {
        log.log(LogLevel::error,
                "reload refused, keeping the running configuration: " + reloadable.message());
      } else {
        log.set_threshold(parse_log_level(fresh->log.level));
        for (const auto& w : fresh->warnings) log.log(LogLevel::warning, w);
        if (server) {
          auto tokens = admin::TokenSet::from_entries(admin_settings(fresh.value()).tokens);
          if (tokens) server->replace_tokens(std::move(tokens.value()));
        }
        service.reload(std::move(fresh.value()));
      }
      notify.ready();
      wait_reload();
    });
  };
  wait_reload();
  io.run();
  log.log(LogLevel::info, "portalsyncd stopped");
  return 0;
}
