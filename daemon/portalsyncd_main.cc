// portalsyncd: runs sync cycles until SIGTERM/SIGINT. The full daemon (change capture, admin
// HTTP, systemd notify) is built on this loop in a later step.
#include <csignal>
#include <cstdio>
#include <thread>

#include "daemon/cli/args.h"
#include "daemon/wiring/run_lock.h"
#include "daemon/wiring/runtime.h"
#include "daemon/wiring/stderr_logger.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) { g_stop = 1; }

const char* kUsage = R"(usage: portalsyncd [-c FILE]

Runs a sync every sync.interval_seconds until SIGTERM or SIGINT (the cycle in progress finishes).
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace ps;
  auto args = cli::Args::parse({argv + 1, argv + argc},
                               {{"--config", "-c", true}, {"--help", "-h", false}});
  if (!args) {
    std::fprintf(stderr, "portalsyncd: %s\n", args.error().c_str());
    return 1;
  }
  if (args->has("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto config = load_config(args->value_or("--config", "/etc/portalsync/portalsync.yaml"));
  if (!config) {
    std::fprintf(stderr, "portalsyncd: invalid configuration:\n%s\n", config.error().c_str());
    return 1;
  }
  StderrLogger log(parse_log_level(config->log.level));
  for (const auto& w : config->warnings) log.log(LogLevel::warning, w);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  SystemClock clock;
  auto store = open_portal_store(config.value());
  if (!store) {
    log.log(LogLevel::error, store.error());
    return 1;
  }
  while (!g_stop) {
    auto lock = RunLock::acquire(config->portal.database);
    auto directory = lock ? connect_directory(config.value())
                          : Result<std::unique_ptr<DirectoryConnector>>::failure(lock.error());
    if (!directory) {
      log.log(LogLevel::error, directory.error());
    } else {
      SyncEngine engine(*store.value(), *directory.value(), clock, log,
                        engine_options(config.value(), "portalsyncd"));
      auto report = engine.sync();
      if (!report)
        log.log(LogLevel::error, "sync stopped: " + report.error());
      else
        log.log(LogLevel::info, "sync: " + summary_json(report.value()));
    }
    for (int i = 0; i < config->sync.interval_seconds * 10 && !g_stop; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  log.log(LogLevel::info, "portalsyncd stopping");
  return 0;
}
