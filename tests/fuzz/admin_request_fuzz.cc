// The admin API's request path as a function of the bytes a client sends: Beast's parser with the
// server's limits, then admit() (target, route, percent-decoding, bearer token, query string) and
// invoke() on the daemon's route table. The handlers read their input with the same code as the
// real ones (JsonBody, parse_timestamp, strtoll on ids) but answer from no store: the endpoints'
// database work is not input parsing. Every JSON answer must be well-formed JSON.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "daemon/admin/dispatch.h"
#include "daemon/admin/json_body.h"
#include "daemon/admin/router.h"
#include "daemon/admin/tokens.h"
#include "tests/fuzz/fuzz_check.h"

namespace http = boost::beast::http;
using ps::admin::AdminRequest;
using ps::admin::AdminResponse;
using ps::admin::JsonBody;

namespace {

AdminResponse bad_request(std::string_view message) {
  return AdminResponse::error(400, "bad_request", message);
}

// Echoes what a handler read, through the writer the real handlers answer with.
AdminResponse echo(const AdminRequest& r, std::initializer_list<std::string_view> fields = {}) {
  ps::JsonWriter w;
  w.begin_object().key("path").value(r.path).key("actor").value(r.actor);
  for (const auto& [k, v] : r.params) w.key(k).value(v);
  for (const auto& [k, v] : r.query) w.key(k).value(v);
  if (!fields.size()) return AdminResponse::json(200, w.end_object());
  auto body = JsonBody::parse(r.body);
  if (!body) return bad_request(body.error());
  if (auto st = body->only_keys(fields); !st) return bad_request(st.message());
  for (auto f : fields) {
    auto text = body->optional_string(f);
    if (!text) return bad_request(text.error());
    w.key(f).value(text.value().value_or(""));
  }
  return AdminResponse::json(200, w.end_object());
}

AdminResponse by_id(const AdminRequest& r) {
  const auto& text = r.param("id");
  char* end = nullptr;
  auto id = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || id <= 0) return bad_request("id: not an id: " + text);
  return echo(r);
}

AdminResponse add_scheduled_change(const AdminRequest& r) {
  auto response = echo(r, {"username", "kind", "at", "reason", "to_unit", "role"});
  if (response.status != 200) return response;
  auto body = JsonBody::parse(r.body);
  auto at = body->string("at");
  if (!at) return bad_request(at.error());
  if (!ps::parse_timestamp(at.value())) return bad_request("at: not a time: " + at.value());
  return response;
}

AdminResponse set_password(const AdminRequest& r) {
  auto body = JsonBody::parse(r.body);
  if (!body) return bad_request(body.error());
  if (auto st = body->only_keys({"password", "must_change"}); !st) return bad_request(st.message());
  auto password = body->string("password");
  if (!password) return bad_request(password.error());
  auto must_change = body->optional_boolean("must_change");
  if (!must_change) return bad_request(must_change.error());
  return echo(r);
}

AdminResponse audit(const AdminRequest& r) {
  for (const char* name : {"from", "to"}) {
    auto text = r.query_or(name);
    if (!text.empty() && !ps::parse_timestamp(text))
      return bad_request(std::string(name) + ": not an ISO 8601 time: " + text);
  }
  char* end = nullptr;
  auto limit = r.query_or("limit", "100");
  auto wanted = std::strtoll(limit.c_str(), &end, 10);
  if (*end != '\0' || wanted < 1 || wanted > 1000)
    return bad_request("limit: must be 1..1000, got " + limit);
  return echo(r);
}

// The route table of daemon/service/admin_api.cc.
ps::admin::Router routes() {
  ps::admin::Router r;
  auto plain = [](const AdminRequest& req) { return echo(req); };
  r.add("GET", "/healthz", plain, ps::admin::Access::public_);
  for (const char* path : {"/readyz", "/metrics", "/v1/status", "/v1/approvals",
                           "/v1/scheduled-changes", "/v1/accounts/{username}/handover"})
    r.add("GET", path, plain);
  r.add("POST", "/v1/sync", plain);
  r.add_async("GET", "/v1/plan",
              [](const AdminRequest& req, ps::admin::Respond respond) { respond(echo(req)); });
  r.add("POST", "/v1/approvals/{id}", by_id);
  r.add("POST", "/v1/scheduled-changes", add_scheduled_change);
  r.add("DELETE", "/v1/scheduled-changes/{id}", by_id);
  r.add_async(
      "POST", "/v1/accounts/{username}/password",
      [](const AdminRequest& req, ps::admin::Respond respond) { respond(set_password(req)); });
  r.add_async("POST", "/v1/accounts/{username}/unlock",
              [](const AdminRequest& req, ps::admin::Respond respond) { respond(echo(req)); });
  r.add("POST", "/v1/custody/{shared}", [](const AdminRequest& req) {
    return echo(req, {"custodian", "reason"});
  });
  r.add("GET", "/v1/audit", audit);
  return r;
}

void check(const AdminResponse& response) {
  PS_FUZZ_CHECK(response.status >= 200 && response.status < 600, "an HTTP status");
  if (response.content_type == "application/json")
    PS_FUZZ_CHECK(nlohmann::json::accept(response.body), "a JSON answer is well-formed JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto router = routes();
  static const auto tokens =
      ps::admin::TokenSet::from_entries({{"fuzz", ps::sha256_hex("fuzz-token")}}).value();
  static ps::NullLogger log;

  // As the server reads a request (daemon/admin/session.cc): the head, admission, then the body.
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  bool failed = false;
  while (!parser.is_done() && !failed) {
    auto n = parser.put(boost::asio::const_buffer(data + used, size - used), ec);
    used += n;
    if (ec == http::error::need_more)
      ec = {};
    else if (ec)
      failed = true;
    if (n == 0) break;  // all that was sent is taken: the client has to send more
  }
  if (!parser.is_header_done()) return 0;  // the server answers 400, 431 or closes
  const auto& req = parser.get();
  ps::admin::RequestHead head{req.method_string(), req.target(), req[http::field::authorization],
                              "127.0.0.1"};
  auto admission = ps::admin::admit(router, tokens, head);
  if (admission.reply) return check(*admission.reply), 0;
  if (failed) return 0;  // a malformed or oversized body: 400 or 413
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;  // the client stopped sending: 400
  }
  admission.request.body = parser.get().body();
  if (admission.async_handler) {
    bool answered = false;
    ps::admin::invoke_async(
        *admission.async_handler, admission.request,
        [&](AdminResponse response) {
          answered = true;
          check(response);
        },
        log);
    PS_FUZZ_CHECK(answered, "an async handler answered");
  } else {
    check(ps::admin::invoke(*admission.handler, admission.request, log));
  }
  return 0;
}
