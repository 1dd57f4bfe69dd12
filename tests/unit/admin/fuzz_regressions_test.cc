// Inputs tests/fuzz/admin_request_fuzz found to misbehave, kept as regression tests.
#include <catch2/catch.hpp>

#include "core/json.h"
#include "core/text.h"
#include "daemon/admin/dispatch.h"

using namespace ps::admin;
using ps::sha256_hex;

TEST_CASE("an answer quoting bytes that are not UTF-8 is still UTF-8 JSON", "[admin][fuzz]") {
  Router router;
  router.add("GET", "/v1/status", [](const AdminRequest& r) {
    return AdminResponse::error(400, "bad", r.query_or("x"));
  });
  auto tokens = TokenSet::from_entries({{"ops", sha256_hex("t0k3n")}}).value();
  // admin_request_fuzz: "DELETE /v1/sch\xff\xff...eduled-changes/12" answered 404 with the raw
  // bytes in its message, which no JSON parser accepts.
  auto admission = admit(router, tokens,
                         {"DELETE",
                          "/v1/sch\xff\xff"
                          "eduled-changes/12",
                          "Bearer t0k3n", "127.0.0.1"});
  REQUIRE(admission.reply);
  CHECK(admission.reply->status == 404);
  CHECK(ps::is_valid_utf8(admission.reply->body));
  CHECK_THAT(admission.reply->body, Catch::Contains("/v1/sch\xEF\xBF\xBD\xEF\xBF\xBD"
                                                    "eduled"));

  // The same through a handler: a percent-decoded query value, and valid text left alone.
  ps::NullLogger log;
  auto through =
      admit(router, tokens, {"GET", "/v1/status?x=%C0%AF%E7%8E%8B%F0", "Bearer t0k3n", ""});
  REQUIRE(through.handler);
  auto reply = invoke(*through.handler, through.request, log);
  CHECK(ps::is_valid_utf8(reply.body));
  CHECK_THAT(reply.body, Catch::Contains("\xEF\xBF\xBD\xEF\xBF\xBD\xE7\x8E\x8B\xEF\xBF\xBD\""));
}
