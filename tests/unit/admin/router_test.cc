// Routing as a client sees it: parameters come back decoded, the wrong method is told which ones
// work, a more literal route wins over a parameter, and mistakes in route tables fail loudly.
#include <catch2/catch.hpp>

#include "daemon/admin/router.h"
#include "daemon/admin/url.h"

using namespace ps::admin;
using Kind = Router::Match::Kind;

namespace {

Handler named(std::string name) {
  return [name](const AdminRequest&) { return AdminResponse::text(200, name); };
}

Router sample_router() {
  Router router;
  router.add("GET", "/healthz", named("healthz"), Access::public_)
      .add("POST", "/v1/approvals/{id}", named("approve"))
      .add("GET", "/v1/accounts/{username}/handover", named("handover"))
      .add("GET", "/v1/scheduled-changes", named("list"))
      .add("POST", "/v1/scheduled-changes", named("create"))
      .add("DELETE", "/v1/scheduled-changes/{id}", named("delete"))
      .add("DELETE", "/v1/scheduled-changes/expired", named("purge"));
  return router;
}

std::string handler_of(const Router::Match& match) {
  REQUIRE(match.kind == Kind::found);
  return match.route->handler(AdminRequest{}).body;
}

}  // namespace

TEST_CASE("admin router fills path parameters, percent-decoded", "[admin][router]") {
  auto router = sample_router();
  auto approve = router.match("POST", "/v1/approvals/42");
  CHECK(handler_of(approve) == "approve");
  CHECK(approve.params.at("id") == "42");
  auto handover = router.match("GET", "/v1/accounts/%E7%8E%8B%20xm/handover");
  CHECK(handler_of(handover) == "handover");
  CHECK(handover.params.at("username") == "王 xm");
  CHECK(router.match("POST", "/v1/approvals/a%2Fb").params.at("id") == "a/b");
  CHECK(router.match("POST", "/v1/approvals/%zz").kind == Kind::bad_path);
  CHECK(router.match("POST", "/v1/approvals/%00").kind == Kind::bad_path);
}

TEST_CASE("admin router tells unknown paths from wrong methods", "[admin][router]") {
  auto router = sample_router();
  CHECK(router.match("GET", "/v1/nothing").kind == Kind::not_found);
  CHECK(router.match("POST", "/v1/approvals/").kind == Kind::not_found);
  CHECK(router.match("POST", "/v1/approvals").kind == Kind::not_found);
  CHECK(router.match("GET", "/healthz/").kind == Kind::not_found);
  auto wrong = router.match("PUT", "/v1/scheduled-changes");
  CHECK(wrong.kind == Kind::method_not_allowed);
  CHECK(wrong.allowed == std::vector<std::string>{"GET", "POST"});
  CHECK_FALSE(wrong.public_path);
  auto healthz = router.match("POST", "/healthz");
  CHECK(healthz.kind == Kind::method_not_allowed);
  CHECK(healthz.public_path);
}

TEST_CASE("admin router prefers a literal segment over a parameter", "[admin][router]") {
  auto router = sample_router();
  CHECK(handler_of(router.match("DELETE", "/v1/scheduled-changes/expired")) == "purge");
  CHECK(handler_of(router.match("DELETE", "/v1/scheduled-changes/17")) == "delete");
}

TEST_CASE("admin router refuses malformed and clashing routes", "[admin][router]") {
  Router router;
  router.add("GET", "/v1/items/{id}", named("a"));
  CHECK_THROWS_AS(router.add("GET", "/v1/items/{name}", named("b")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "v1/items", named("b")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/v1/{id", named("b")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/v1//x", named("b")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "//", named("b")), std::invalid_argument);
  // A directory's own page ends in a slash, and is not the path without one.
  router.add("GET", "/ui/", named("ui-index"));
  CHECK(router.match("GET", "/ui/").kind == Kind::found);
  CHECK(router.match("GET", "/ui").kind == Kind::not_found);
  CHECK(router.match("GET", "/ui//").kind == Kind::not_found);
  CHECK_NOTHROW(router.add("DELETE", "/v1/items/{id}", named("c")));
}

TEST_CASE("admin query strings are decoded into a map", "[admin][router]") {
  auto query = parse_query("actor=ops&from=2024-01-01T00%3A00%3A00&name=%E7%8E%8B+xm&flag");
  REQUIRE(query);
  CHECK(query->at("actor") == "ops");
  CHECK(query->at("from") == "2024-01-01T00:00:00");
  CHECK(query->at("name") == "王 xm");
  CHECK(query->at("flag").empty());
  CHECK(parse_query("").value().empty());
  CHECK(parse_query("a=1&a=2").error() == "query parameter \"a\" is given more than once");
  CHECK(parse_query("a=%4").error() == "query parameter \"a\" has a malformed %-escape");
  CHECK_FALSE(parse_query("=x"));
}
