// Regressions (issue 15) in the API host's DirectoryService and routes, against a throwaway slapd
// and a temp SQLite file: an outcome-unknown replay is reported as outcome_unknown (it was
// "refused"); a read's 403 / 503 follows the failure's code, not words in its message (a base DN
// with "cookie" in it made an unreachable directory a 403); paging snapshots beyond the limit
// evict the oldest (it was the smallest random id); a handler answers once even when it throws
// after answering.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/log.h"
#include "daemon/admin/offload.h"
#include "daemon/apihost/directory_service.h"
#include "daemon/apihost/request_log.h"
#include "daemon/apihost/routes.h"
#include "tests/support/slapd_server.h"
#include "tests/support/temp_dir.h"

using namespace ps;
using namespace ps::apihost;
using ps::testing::SlapdServer;
using ps::testing::TempDir;

namespace {

struct Host {
  SlapdServer slapd;
  TempDir dir{"ps-apihost-service"};
  std::unique_ptr<RequestLog> requests;
  NullLogger log;
  HostConfig config;
  std::unique_ptr<DirectoryService> service;

  explicit Host(const std::string& subtree_rdn = "ou=p") {
    auto opened = RequestLog::open(dir.file("requests.db"));
    REQUIRE(opened);
    requests = std::move(opened.value());
    config.directory.url = slapd.url();
    config.directory.tls = LdapSettings::Tls::none;
    config.directory.bind_dn = slapd.admin_dn();
    config.directory.bind_password = slapd.admin_password();
    config.directory.timeout_seconds = 5;
    config.allowed_base_dn = subtree_rdn + "," + slapd.suffix();
    REQUIRE(slapd.add("dn: " + config.allowed_base_dn + "\nobjectClass: organizationalUnit\nou: " +
                      subtree_rdn.substr(3) + "\n") == 0);
    service = std::make_unique<DirectoryService>(config, *requests, log);
  }
  void add_people(int count) {
    std::string ldif;
    for (int i = 0; i < count; ++i)
      ldif += "dn: ou=u" + std::to_string(i) + "," + config.allowed_base_dn +
              "\nobjectClass: organizationalUnit\nou: u" + std::to_string(i) + "\n\n";
    REQUIRE(slapd.add(ldif) == 0);
  }
};

WireOp modify_op(const std::string& key, const std::string& dn) {
  WireOp op;
  op.key = key;
  op.action = WireAction::modify;
  op.op.type = OpType::modify;
  op.op.dn = dn;
  return op;
}

}  // namespace

TEST_CASE("api host: a key the host left pending is replayed as outcome_unknown, not refused",
          "[apihost][outcome]") {
  Host host;
  auto op = modify_op("k-1", "ou=x," + host.config.allowed_base_dn);
  REQUIRE(host.requests->begin(
      {{"k-1", "portal-sync", summarize(op), RecordResult::pending, "", "", ""}}));
  auto results = host.service->apply({op}, "portal-sync");
  REQUIRE(results);
  REQUIRE(results->size() == 1);
  CHECK(results->front().status == OpStatus::outcome_unknown);
  CHECK_THAT(results->front().message, Catch::Contains("outcome unknown"));
  CHECK(to_string(results->front().status) == "outcome_unknown");
  // The record stays pending: a later replay says the same.
  auto again = host.service->apply({op}, "portal-sync");
  REQUIRE(again);
  CHECK(again->front().status == OpStatus::outcome_unknown);
  // On the wire too.
  auto decoded = decode_results(encode_results(results.value()));
  REQUIRE(decoded);
  CHECK(decoded->front().status == OpStatus::outcome_unknown);
}

TEST_CASE("api host: a read's failure is a 403 or a 503 by its code, not by its words",
          "[apihost][read]") {
  Host host("ou=cookie jar");
  boost::asio::io_context loop, worker;
  auto router = make_routes(admin::Offload(loop.get_executor(), worker.get_executor(), host.log),
                            *host.service);
  auto read = [&](const std::string& body) {
    auto match = router.match("POST", "/v1/read");
    REQUIRE(match.route);
    admin::AdminRequest request;
    request.method = "POST";
    request.path = "/v1/read";
    request.body = body;
    std::vector<admin::AdminResponse> replies;
    match.route->async_handler(request, [&](admin::AdminResponse r) { replies.push_back(r); });
    worker.restart();
    worker.run();
    loop.restart();
    loop.run();
    REQUIRE(replies.size() == 1);
    return replies.front();
  };
  auto base = host.config.allowed_base_dn;
  CHECK(read(R"({"base_dn":")" + base + R"("})").status == 200);
  // A cookie the host never gave, and a base outside the subtree: refused.
  CHECK(read(R"({"base_dn":")" + base + R"(","cookie":"nope"})").status == 403);
  CHECK(read(R"({"base_dn":"ou=elsewhere,dc=example,dc=org"})").status == 403);
  // The directory gone: unavailable, although the message names "ou=cookie jar".
  host.slapd.stop();
  auto down = read(R"({"base_dn":")" + base + R"("})");
  CHECK(down.status == 503);
  CHECK_THAT(down.body, Catch::Contains("cookie jar"));
}

TEST_CASE("api host: paging snapshots beyond the limit evict the oldest", "[apihost][read]") {
  Host host;
  host.add_people(2);
  ReadRequest first;
  first.base_dn = host.config.allowed_base_dn;
  first.page_size = 1;
  std::vector<std::string> cookies;
  for (int i = 0; i < 24; ++i) {
    auto page = host.service->read(first, "portal-sync");
    REQUIRE(page);
    REQUIRE_FALSE(page->cookie.empty());
    cookies.push_back(page->cookie);
  }
  // The host keeps 8: the last 8 reads can all go on, the ones before cannot.
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    ReadRequest next = first;
    next.cookie = cookies[i];
    auto page = host.service->read(next, "portal-sync");
    INFO("read " << i);
    CHECK(static_cast<bool>(page) == (i >= cookies.size() - 8));
    if (!page) CHECK(page.code() == StatusCode::not_found);
  }
}

TEST_CASE("api host: a handler that throws after answering answers once", "[apihost]") {
  int answers = 0;
  auto handler = answer_once([](const admin::AdminRequest&, admin::Respond respond) {
    respond(admin::AdminResponse::error(400, "bad_request", "first"));
    throw std::runtime_error("after the answer");
  });
  handler(admin::AdminRequest{}, [&](admin::AdminResponse) { ++answers; });
  CHECK(answers == 1);

  std::vector<int> statuses;
  auto throwing = answer_once(
      [](const admin::AdminRequest&, admin::Respond) { throw std::runtime_error("before"); });
  throwing(admin::AdminRequest{}, [&](admin::AdminResponse r) { statuses.push_back(r.status); });
  CHECK(statuses == std::vector<int>{500});
}
