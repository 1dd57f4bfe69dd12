// The admin API shares portalsyncd's event loop with the journal poll, the timers and the systemd
// watchdog: a request that reads the whole portal must not stall it. While handover checks over
// a 100,000-account portal run, /healthz and /metrics still answer within 50 ms.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "api_daemon.h"

using namespace ps::testing;
using namespace std::chrono;

namespace {

struct Timed {
  int status = 0;
  long ms = 0;
};

// One GET on a fresh connection, timed from connect to the end of the answer (a raw socket: a
// curl process would add its own start-up to the figure).
Timed timed_get(int port, const std::string& path, const std::string& token) {
  auto start = steady_clock::now();
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Timed t;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[8192];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      answer.append(buf, static_cast<std::size_t>(n));
    if (answer.rfind("HTTP/1.1 ", 0) == 0) t.status = std::atoi(answer.c_str() + 9);
  }
  ::close(fd);
  t.ms = duration_cast<milliseconds>(steady_clock::now() - start).count();
  return t;
}

}  // namespace

TEST_CASE("admin API: /healthz and /metrics answer within 50 ms while 100,000-account queries run",
          "[daemon][admin][loop]") {
  SlapdServer slapd;
  PortalFixture portal(slapd, admin_yaml());
  auto sample = run({bin("portalsync"), "db", "sample", "--database",
                     "sqlite3://db=" + portal.database(), "--accounts", "100000", "--units", "200"},
                    "", 300);
  REQUIRE(sample.ok());
  REQUIRE(portal.query_one("SELECT count(*) FROM accounts") == "100000");
  auto username = portal.query_one("SELECT username FROM accounts ORDER BY id LIMIT 1");
  // No directory (a closed port): runs fail and retry, which keeps the worker free and leaves
  // the admin API's own worker as the only one reading the 100,000 accounts.
  auto config = std::regex_replace(read_text(portal.config()),
                                   std::regex("url: \"ldap://127\\.0\\.0\\.1:[0-9]+\""),
                                   "url: \"ldap://127.0.0.1:1\"");
  auto config_path = portal.dir().file("offline.yaml");
  write_file(config_path, config);
  auto log_path = portal.dir().file("daemon.log");
  pid_t pid = spawn({bin("portalsyncd"), "-c", config_path}, log_path);
  REQUIRE(wait_until([&] { return read_text(log_path).find("admin API at ") != std::string::npos; },
                     seconds(10)));
  std::smatch m;
  auto log = read_text(log_path);
  REQUIRE(std::regex_search(log, m, std::regex("admin API at http://127\\.0\\.0\\.1:([0-9]+)")));
  int port = std::stoi(m[1]);
  const std::string handover = "/v1/accounts/" + username + "/handover";

  // One query alone, for the figure.
  auto alone = timed_get(port, handover, kToken);
  REQUIRE(alone.status == 200);

  // Four in a row on the API's worker, from another thread; meanwhile the loop is probed.
  std::atomic<bool> done{false};
  std::atomic<long> queries_ms{0};
  std::thread queries([&] {
    auto start = steady_clock::now();
    for (int i = 0; i < 4; ++i) CHECK(timed_get(port, handover, kToken).status == 200);
    queries_ms = duration_cast<milliseconds>(steady_clock::now() - start).count();
    done = true;
  });
  std::this_thread::sleep_for(milliseconds(std::min<long>(alone.ms / 4, 100)));
  std::vector<long> probes;
  while (!done) {
    auto health = timed_get(port, "/healthz", "");
    auto metrics = timed_get(port, "/metrics", kToken);
    CHECK(health.status == 200);
    CHECK(metrics.status == 200);
    if (done) break;  // the last pair may have run after the queries ended
    probes.push_back(std::max(health.ms, metrics.ms));
    std::this_thread::sleep_for(milliseconds(20));
  }
  queries.join();
  std::sort(probes.begin(), probes.end());
  REQUIRE_FALSE(probes.empty());
  WARN("one handover check over 100,000 accounts: "
       << alone.ms << " ms; four: " << queries_ms << " ms; " << probes.size()
       << " /healthz+/metrics probes meanwhile, "
          "slowest "
       << probes.back() << " ms, median " << probes[probes.size() / 2] << " ms");
  CHECK(probes.size() >= 5);
  // The promise is that the loop never waits for a query: a blocked loop answers only after
  // the query it waits on (a second or more). A loaded CI machine can deschedule the daemon
  // for a few tens of ms at any time, so one late probe in ten is the machine, not the loop.
  CHECK(probes[probes.size() * 9 / 10] < 50);
  CHECK(probes.back() < std::max<long>(alone.ms / 2, 100));
  CHECK_FALSE(has_exited(pid));
  stop(pid, SIGTERM);
}

TEST_CASE("admin API: plan previews requested together are computed once, the excess refused busy",
          "[daemon][admin][loop]") {
  SlapdServer slapd;
  // Room for all 20 connections from 127.0.0.1: the refusals must be the preview's own.
  PortalFixture portal(slapd, admin_yaml() + "  limits:\n    max_connections_per_address: 32\n");
  auto sample = run({bin("portalsync"), "db", "sample", "--database",
                     "sqlite3://db=" + portal.database(), "--accounts", "4000", "--units", "40"});
  REQUIRE(sample.ok());
  // READY=1 comes as the first run starts: its 4,000 adds keep the worker busy for seconds, so
  // every preview asked now waits for the same turn. (With 10,000 the run and the preview outlast
  // curl's 30 s under the sanitizers on a loaded machine.)
  ApiDaemon d(portal);
  std::vector<Http> answers(20);
  std::vector<std::thread> clients;
  for (auto& answer : answers)
    clients.emplace_back([&d, &answer] { answer = d.call("GET", "/v1/plan"); });
  for (auto& c : clients) c.join();
  int ok = 0, busy = 0;
  std::set<std::string> plans;
  for (const auto& a : answers) {
    if (a.status == 200) {
      ++ok;
      plans.insert(a.body);
    } else if (a.status == 503 &&
               a.body.find("a plan preview is being computed") != std::string::npos) {
      ++busy;
    }
  }
  std::string statuses;
  for (const auto& a : answers)
    statuses += std::to_string(a.status) + " " + a.body.substr(0, 120) + "\n";
  INFO(statuses);
  CHECK(ok + busy == 20);
  CHECK(ok == 16);
  CHECK(busy == 4);
  CHECK(plans.size() == 1);  // one preview, shared
  CHECK_FALSE(has_exited(d.pid));
}
