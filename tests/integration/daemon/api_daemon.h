// The real portalsyncd with its admin API on a free port and one token, called with curl as an
// operator would.
#pragma once

#include <csignal>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "daemon_harness.h"

namespace ps::testing {

inline const std::string kToken = "ops-4f1c2a9e7d3b5c8a0e6f";

inline std::string sha256_hex(const std::string& text) {
  auto r = run({"sha256sum"}, text);
  return r.out.substr(0, 64);
}

// The admin section: a free port and kToken under `token_name`.
inline std::string admin_yaml(const std::string& token_name = "ops") {
  return "admin:\n  listen: \"127.0.0.1:0\"\n  tokens:\n    - name: " + token_name +
         "\n      sha256: " + sha256_hex(kToken) + "\n";
}

struct Http {
  int status = 0;
  std::string body;
};

// One request to the admin API at `url` with curl, as an operator would make it.
inline Http call_api(const std::string& url, const std::string& method, const std::string& path,
                     const std::string& token = kToken, const std::string& body = "") {
  std::vector<std::string> args = {"curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method};
  if (!token.empty()) args.insert(args.end(), {"-H", "Authorization: Bearer " + token});
  if (!body.empty())
    args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary", "@-"});
  args.push_back(url + path);
  auto r = run(args, body, 30);
  auto cut = r.out.rfind('\n');
  return {std::atoi(r.out.substr(cut + 1).c_str()), r.out.substr(0, cut)};
}

// The admin API's URL, once the daemon logging to `log_path` has logged it.
inline std::string wait_for_admin_url(const std::string& log_path) {
  REQUIRE(wait_until([&] { return read_text(log_path).find("admin API at ") != std::string::npos; },
                     std::chrono::seconds(10)));
  std::smatch m;
  auto log = read_text(log_path);
  REQUIRE(std::regex_search(log, m, std::regex("admin API at (http://[0-9.:]+)")));
  return m[1];
}

// A portalsyncd started on `config`, logging to `log_path` (with `env` added to its environment),
// stopped with SIGTERM when it goes away: for tests that start several or restart one.
struct DaemonProcess {
  std::string log_path;
  pid_t pid = -1;
  std::string url;

  DaemonProcess(const std::string& config, std::string log,
                const std::map<std::string, std::string>& env = {})
      : log_path(std::move(log)) {
    pid = spawn({bin("portalsyncd"), "-c", config}, log_path, env);
    url = wait_for_admin_url(log_path);
  }
  ~DaemonProcess() {
    if (pid > 0) stop(pid, SIGTERM);
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  std::string log() const { return read_text(log_path); }
  bool active() const { return log().find(") is the active one") != std::string::npos; }
  Http get(const std::string& path) const { return call_api(url, "GET", path); }
};

struct ApiDaemon {
  const PortalFixture& portal;
  NotifySocket notify;
  std::string log_path;
  pid_t pid = -1;
  std::string url;

  // Started with `config`, the fixture's own one by default; returns once READY=1 was sent.
  explicit ApiDaemon(const PortalFixture& p, const std::string& config = "")
      : portal(p), notify(p.dir().file("notify.sock")), log_path(p.dir().file("daemon.log")) {
    using std::chrono::seconds;
    pid = spawn({bin("portalsyncd"), "-c", config.empty() ? portal.config() : config}, log_path,
                {{"NOTIFY_SOCKET", notify.path()}});
    url = wait_for_admin_url(log_path);
    REQUIRE(notify.wait_for("READY=1", seconds(10)));
  }
  ~ApiDaemon() {
    if (pid > 0) stop(pid, SIGTERM);
  }

  Http call(const std::string& method, const std::string& path, const std::string& token = kToken,
            const std::string& body = "") const {
    return call_api(url, method, path, token, body);
  }
};

}  // namespace ps::testing
