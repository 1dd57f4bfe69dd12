// Request bodies: typed fields, and errors that tell the client which field is wrong and why.
#include <catch2/catch.hpp>

#include "daemon/admin/json_body.h"

using namespace ps::admin;

TEST_CASE("admin JSON bodies give typed fields", "[admin][json]") {
  auto body = JsonBody::parse(
      R"({"decision":"approve","note":"王科長同意","limit":25,"force":true,)"
      R"("groups":["a","b"],"when":{"at":"2025-01-01T09:00:00+08:00"},"gone":null})");
  REQUIRE(body);
  CHECK(body->string("decision").value() == "approve");
  CHECK(body->string("note").value() == "王科長同意");
  CHECK(body->integer("limit").value() == 25);
  CHECK(body->boolean("force").value());
  CHECK(body->strings("groups").value() == std::vector<std::string>{"a", "b"});
  CHECK(body->object("when").value().string("at").value() == "2025-01-01T09:00:00+08:00");
  CHECK_FALSE(body->optional_string("gone").value().has_value());
  CHECK_FALSE(body->optional_integer("absent").value().has_value());
  CHECK(body->has("decision"));
  CHECK_FALSE(body->has("gone"));
}

TEST_CASE("admin JSON body errors name the field and the problem", "[admin][json]") {
  auto body = JsonBody::parse(R"({"limit":"25","groups":["a",1],"when":{"at":5},"n":1.5})");
  REQUIRE(body);
  CHECK(body->integer("limit").error() == "field \"limit\" must be an integer, not a string");
  CHECK(body->string("decision").error() == "field \"decision\" is missing");
  CHECK(body->strings("groups").error() ==
        "field \"groups\" must hold only strings, not an integer");
  CHECK(body->object("when").value().string("at").error() ==
        "field \"when.at\" must be a string, not an integer");
  CHECK(body->integer("n").error() == "field \"n\" must be an integer, not a number");
  CHECK(body->only_keys({"limit", "groups", "when"}).message() ==
        "field \"n\" is not one this endpoint knows");
  CHECK(body->only_keys({"limit", "groups", "when", "n"}));
}

TEST_CASE("admin JSON bodies must be one reasonable JSON object", "[admin][json]") {
  CHECK(JsonBody::parse("").error() == "the request needs a JSON object as its body");
  CHECK(JsonBody::parse("[1,2]").error() == "the request body must be a JSON object, not an array");
  CHECK(JsonBody::parse(R"({"a":)").error() == "the request body is not valid JSON (at byte 6)");
  CHECK_FALSE(JsonBody::parse("{\"a\":\"\xff\"}"));  // not UTF-8
  CHECK(JsonBody::parse(std::string(100, '[') + std::string(100, ']')).error() ==
        "the request body nests deeper than 32 levels");
  CHECK(JsonBody::parse(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})"));
}
