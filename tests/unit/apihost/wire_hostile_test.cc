// Malformed and hostile bodies: every decoder answers with an error value naming the field and
// the reason; none crashes or lets an exception out, whatever the bytes.
#include <catch2/catch.hpp>

#include "wire_samples.h"

using namespace wire_test;
using Catch::Contains;

namespace {

// {"operations":[<op>]} with the given operation object.
std::string batch_of(const std::string& op) { return R"({"operations":[)" + op + "]}"; }

// An add whose one value is `value` (raw JSON).
std::string add_with_value(const std::string& value) {
  return batch_of(R"({"key":"k","action":"add","dn":"CN=a,OU=b",)"
                  R"("mods":[{"kind":"add","attribute":"cn","values":[)" +
                  value + "]}]}");
}

template <class Decoded>
std::string error_of(const Decoded& decoded) {
  REQUIRE_FALSE(decoded);
  return decoded.error();
}

}  // namespace

TEST_CASE("apihost wire: bodies that are not a JSON object are refused", "[apihost][wire]") {
  for (const std::string body : {"", "not json", "{", "[]", "\"text\"", "42", "null",
                                 R"({"operations":[)", "{\"operations\":[]} trailing"}) {
    INFO(body);
    CHECK_THAT(error_of(decode_batch(body)), Contains("the body"));
    CHECK_THAT(error_of(decode_results(body)), Contains("the body"));
    CHECK_THAT(error_of(decode_read_request(body)), Contains("the body"));
    CHECK_THAT(error_of(decode_read_page(body)), Contains("the body"));
  }
}

TEST_CASE("apihost wire: invalid UTF-8 and NUL bytes in the body are refused", "[apihost][wire]") {
  CHECK(error_of(
            decode_batch(batch_of("{\"key\":\"k\xff\",\"action\":\"unlock\",\"dn\":\"CN=a\"}"))) ==
        "the body is not valid JSON");
  CHECK(error_of(decode_batch(
            batch_of("{\"key\":\"k\xc0\xaf\",\"action\":\"unlock\",\"dn\":\"CN=a\"}"))) ==
        "the body is not valid JSON");  // an overlong "/"
  CHECK(error_of(decode_read_request(std::string("{\"base_dn\":\"OU=a\"}\0", 17))) ==
        "the body is not valid JSON");
  // A lone surrogate escaped in JSON is not a character either.
  CHECK(error_of(decode_read_request(R"({"base_dn":"OU=\ud800"})")) ==
        "the body is not valid JSON");
}

TEST_CASE("apihost wire: a NUL in a DN or name is refused, so C APIs cannot cut it short",
          "[apihost][wire]") {
  // Cut at the NUL, this DN would leave the managed subtree that its full text ends with.
  auto escape = batch_of(R"({"key":"k","action":"delete","dn":)"
                         R"("CN=victim,CN=Users,DC=gov\u0000,OU=portal,DC=gov"})");
  CHECK(error_of(decode_batch(escape)) == "operations[0].dn: must not contain a NUL character");
  CHECK(error_of(decode_read_request(R"({"base_dn":"DC=gov\u0000,OU=portal,DC=gov"})")) ==
        "base_dn: must not contain a NUL character");
  CHECK_THAT(error_of(decode_batch(batch_of(R"({"key":"k\u0000","action":"unlock","dn":"CN=a"})"))),
             Contains("operations[0].key: must not contain a NUL"));
  // A value is bytes, not a name: a NUL in it is data and stays.
  auto value = decode_batch(add_with_value(R"("a\u0000b")"));
  REQUIRE(value);
  CHECK(value->front().op.mods.front().values.front() == std::string("a\0b", 3));
}

TEST_CASE("apihost wire: missing fields and wrong types name the field", "[apihost][wire]") {
  CHECK(error_of(decode_batch("{}")) == "operations: is required (an array of operations)");
  CHECK(error_of(decode_batch(R"({"operations":{}})")) ==
        "operations: is required (an array of operations)");
  CHECK(error_of(decode_batch(batch_of("7"))) == "operations[0]: must be an object");
  CHECK(error_of(decode_batch(batch_of(R"({"action":"unlock","dn":"CN=a"})"))) ==
        "operations[0].key: is required");
  CHECK(error_of(decode_batch(batch_of(R"({"key":12,"action":"unlock","dn":"CN=a"})"))) ==
        "operations[0].key: must be a string");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"","action":"unlock","dn":"CN=a"})"))) ==
        "operations[0].key: must be 1 to 200 characters");
  CHECK(error_of(decode_batch(batch_of(R"({"key":")" + std::string(201, 'k') +
                                       R"(","action":"unlock","dn":"CN=a"})"))) ==
        "operations[0].key: must be 1 to 200 characters");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":"unlock"})"))) ==
        "operations[0].dn: is required");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":["add"],"dn":"CN=a"})"))) ==
        "operations[0].action: must be a string");
  CHECK_THAT(error_of(decode_batch(batch_of(R"({"key":"k","action":"tree_delete","dn":"CN=a"})"))),
             Contains("operations[0].action: \"tree_delete\" is not in the contract"));
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":"set_password","dn":"CN=a"})"))) ==
        "operations[0].password: is required");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":"set_password","dn":"CN=a",)"
                                       R"("password":"x","must_change":"yes"})"))) ==
        "operations[0].must_change: must be true or false");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":"move","dn":"CN=a"})"))) ==
        "operations[0].new_rdn: is required for move");
  CHECK(
      error_of(decode_batch(batch_of(R"({"key":"k","action":"add","dn":"CN=a","object":"x"})"))) ==
      "operations[0].object: \"x\" is not an object kind");
  CHECK(error_of(decode_batch(batch_of(R"({"key":"k","action":"add","dn":"CN=a","mods":{}})"))) ==
        "operations[0].mods: must be an array");
}

TEST_CASE("apihost wire: a bad modification names it", "[apihost][wire]") {
  auto with_mod = [](const std::string& mod) {
    return decode_batch(
        batch_of(R"({"key":"k","action":"modify","dn":"CN=a","mods":[{"kind":"add",)"
                 R"("attribute":"cn","values":["x"]},)" +
                 mod + "]}"));
  };
  CHECK(error_of(with_mod("[]")) == "operations[0].mods[1]: must be an object");
  CHECK(error_of(with_mod(R"({"kind":"wipe","attribute":"cn"})")) ==
        "operations[0].mods[1].kind: must be add, remove or replace");
  CHECK(error_of(with_mod(R"({"kind":"add"})")) == "operations[0].mods[1].attribute: is required");
  CHECK(error_of(with_mod(R"({"kind":"add","attribute":"cn","values":"x"})")) ==
        "operations[0].mods[1].values: must be an array");
  CHECK(error_of(with_mod(R"({"kind":"add","attribute":"cn","values":["x",true]})")) ==
        "operations[0].mods[1].values[1]: expected a string or {\"base64\": \"...\"}");
}

TEST_CASE("apihost wire: a value that is not base64 is refused, never decoded to garbage",
          "[apihost][wire]") {
  const std::string field = "operations[0].mods[0].values[0]";
  for (const std::string bad : {"abc", "ab=c", "====", "A===", "QQ=A", "QUJD!!==", "QU JD",
                                "4pyT\\n", "=QUJ", "QUJD===="}) {
    INFO(bad);
    CHECK(error_of(decode_batch(add_with_value(R"({"base64":")" + bad + R"("})"))) ==
          field + ": the base64 value is not valid base64");
  }
  for (const std::string bad :
       {R"({"base64":7})", R"({"base64":"QUJD","extra":1})", "{}", "[]", "null", "12", "1e400"}) {
    INFO(bad);
    auto decoded = decode_batch(add_with_value(bad));
    REQUIRE_FALSE(decoded);
    CHECK((decoded.error() == field + ": expected a string or {\"base64\": \"...\"}" ||
           decoded.error() == "the body is not valid JSON"));
  }
  auto fine = decode_batch(add_with_value(R"({"base64":"QUI="},{"base64":""})"));
  REQUIRE(fine);
  CHECK(fine->front().op.mods.front().values == std::vector<std::string>{"AB", ""});
}

TEST_CASE("apihost wire: huge and odd numbers are refused, not wrapped", "[apihost][wire]") {
  for (const std::string size :
       {"0", "-1", "5001", "2.5", "\"10\"", "true", "4294967297", "18446744073709551617",
        "99999999999999999999999", "1e30", "-9223372036854775809"}) {
    INFO(size);
    CHECK(error_of(decode_read_request(R"({"base_dn":"OU=a","page_size":)" + size + "}")) ==
          "page_size: must be a number from 1 to 5000");
  }
  CHECK(error_of(decode_read_request(R"({"base_dn":"OU=a","page_size":1e400})")) ==
        "the body is not valid JSON");
  CHECK(error_of(decode_batch(batch_of(R"({"key":1e400,"action":"unlock","dn":"CN=a"})"))) ==
        "the body is not valid JSON");
  CHECK(error_of(decode_batch(
            batch_of(R"({"key":123456789012345678901234567890,"action":"unlock","dn":"CN=a"})"))) ==
        "operations[0].key: must be a string");
}

TEST_CASE("apihost wire: read request and page fields are checked", "[apihost][wire]") {
  CHECK(error_of(decode_read_request("{}")) == "base_dn: is required");
  CHECK(error_of(decode_read_request(R"({"base_dn":["OU=a"]})")) == "base_dn: must be a string");
  CHECK(error_of(decode_read_request(R"({"base_dn":"OU=a","attributes":"cn"})")) ==
        "attributes: must be an array of names");
  CHECK(error_of(decode_read_request(R"({"base_dn":"OU=a","attributes":["cn",1]})")) ==
        "attributes: must be an array of names");
  CHECK(error_of(decode_read_request(R"({"base_dn":"OU=a","cookie":5})")) ==
        "cookie: must be a string");

  CHECK(error_of(decode_read_page(R"({"entries":[]})")) == "base_exists: is required");
  CHECK(error_of(decode_read_page(R"({"base_exists":"yes","entries":[]})")) ==
        "base_exists: is required");
  CHECK(error_of(decode_read_page(R"({"base_exists":true})")) == "entries: is required");
  CHECK(error_of(decode_read_page(R"({"base_exists":true,"entries":[1]})")) ==
        "entries[0]: must be an object");
  CHECK(error_of(decode_read_page(R"({"base_exists":true,"entries":[{"anchor":"x"}]})")) ==
        "entries[0].dn: is required");
  CHECK(error_of(decode_read_page(
            R"({"base_exists":true,"entries":[{"dn":"CN=a","attributes":[]}]})")) ==
        "entries[0].attributes: must be an object");
  CHECK(error_of(decode_read_page(
            R"({"base_exists":true,"entries":[{"dn":"CN=a","attributes":{"cn":"x"}}]})")) ==
        "entries[0].attributes.cn: must be an array");
  CHECK(
      error_of(decode_read_page(
          R"({"base_exists":true,"entries":[{"dn":"CN=a","attributes":{"cn":[{"base64":"@"}]}}]})")) ==
      "entries[0].attributes.cn: the base64 value is not valid base64");
}

TEST_CASE("apihost wire: results are checked", "[apihost][wire]") {
  CHECK(error_of(decode_results("{}")) == "results: is required");
  CHECK(error_of(decode_results(R"({"results":["x"]})")) == "results[0]: must be an object");
  CHECK(error_of(decode_results(R"({"results":[{"status":"applied"}]})")) ==
        "results[0].key: is required");
  CHECK(error_of(decode_results(R"({"results":[{"key":"k","status":"done"}]})")) ==
        "results[0].status: unknown value \"done\"");
  CHECK(error_of(decode_results(R"({"results":[{"key":"k","status":"refused","message":3}]})")) ==
        "results[0].message: must be a string");
}

TEST_CASE("apihost wire: deep nesting and large bodies end in an error, not a crash",
          "[apihost][wire]") {
  std::string deep =
      R"({"operations":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK(error_of(decode_batch(deep)) == "operations[0]: must be an object");
  std::string many = R"({"operations":[)";
  for (int i = 0; i < 20000; ++i)
    many += R"({"key":"k)" + std::to_string(i) + R"(","action":"unlock","dn":"CN=a"},)";
  many.back() = ']';
  many += "}";
  auto decoded = decode_batch(many);
  REQUIRE(decoded);
  CHECK(decoded->size() == 20000);
}

TEST_CASE("apihost wire: names that are not UTF-8 are refused before they are encoded",
          "[apihost][wire]") {
  auto op = sample_op("add");
  CHECK(check_encodable(op));
  op.op.dn = "CN=\xff\xfe," + kBase;
  CHECK(check_encodable(op).message() ==
        "add CN=??," + kBase +
            ": refused: the DN is not UTF-8 text; the API-host contract cannot carry it");
  auto attr = sample_op("modify");
  attr.op.mods.front().attribute = "cn\xc3";
  CHECK_THAT(check_encodable(attr).message(), Contains("the attribute name is not UTF-8 text"));
  auto password = sample_op("set_password");
  password.password = "Kq7v\xff#2026-long";
  auto why = check_encodable(password).message();
  CHECK_THAT(why, Contains("the password is not UTF-8 text"));
  CHECK(why.find("Kq7v") == std::string::npos);
  // Encoding never throws, even when the caller did not check.
  CHECK_NOTHROW(encode_batch({op, attr, password}));
  auto entry = sample_entry("chen");
  entry.set_dn("CN=\xff");
  CHECK_NOTHROW(encode_read_page({true, {entry}, ""}));
}
