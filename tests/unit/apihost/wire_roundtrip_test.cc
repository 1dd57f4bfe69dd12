// The wire codec's round trips: what one end encodes, the other decodes to the same values, for
// every action of the contract, every result status and a read page (UTF-8 text and bytes).
#include <catch2/catch.hpp>

#include "wire_samples.h"

using namespace wire_test;

TEST_CASE("apihost wire: every action survives a batch round trip", "[apihost][wire]") {
  auto action = GENERATE(from_range(kAllActions));
  auto op = sample_op(action);
  auto decoded = decode_batch(encode_batch({op}));
  INFO(action << ": " << (decoded ? "" : decoded.error()));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == 1);
  check_same_op(decoded->front(), op);
}

TEST_CASE("apihost wire: a batch of all actions keeps its order, an empty batch is empty",
          "[apihost][wire]") {
  std::vector<WireOp> ops;
  for (const auto& action : kAllActions) ops.push_back(sample_op(action));
  auto decoded = decode_batch(encode_batch(ops));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) check_same_op(decoded.value()[i], ops[i]);

  CHECK(encode_batch({}) == R"({"operations":[]})");
  auto empty = decode_batch(R"({"operations":[]})");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("apihost wire: binary values travel as base64, text as strings", "[apihost][wire]") {
  auto body = encode_batch({sample_op("add")});
  CHECK_THAT(body, Catch::Contains(R"({"base64":"AP/+gCAB"})"));
  CHECK_THAT(body, Catch::Contains(R"("values":["陳雅婷",)"));
  // Every byte value 0..255 once, and the sizes that need each kind of base64 padding.
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  for (std::size_t size : {1u, 2u, 3u, 4u, 255u, 256u}) {
    auto op = sample_op("modify");
    op.op.mods = {{Modification::Kind::replace, "jpegPhoto", {all_bytes.substr(0, size)}, {}}};
    auto decoded = decode_batch(encode_batch({op}));
    REQUIRE(decoded);
    CHECK(decoded->front().op.mods.front().values.front() == all_bytes.substr(0, size));
  }
}

TEST_CASE("apihost wire: results round trip with their status, message and anchor",
          "[apihost][wire]") {
  std::vector<OpResult> results = {
      {"k-1", OpStatus::applied, "", "5c1f0a2e-8d3b"},
      {"k-2", OpStatus::already_applied, "", ""},
      {"k-3", OpStatus::refused, "move CN=wang,OU=a: No such object: 0000208D", ""}};
  auto decoded = decode_results(encode_results(results));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == 3);
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(decoded.value()[i].key == results[i].key);
    CHECK(decoded.value()[i].status == results[i].status);
    CHECK(decoded.value()[i].message == results[i].message);
    CHECK(decoded.value()[i].anchor == results[i].anchor);
  }
  CHECK(to_string(OpStatus::already_applied) == "already_applied");
}

TEST_CASE("apihost wire: a read request round trips, the cookie only after the first page",
          "[apihost][wire]") {
  ReadRequest first{kBase, {"objectClass", "sAMAccountName"}, "", 1000};
  auto body = encode_read_request(first);
  CHECK(body.find("cookie") == std::string::npos);
  auto decoded = decode_read_request(body);
  REQUIRE(decoded);
  CHECK(decoded->base_dn == kBase);
  CHECK(decoded->attributes == first.attributes);
  CHECK(decoded->cookie.empty());
  CHECK(decoded->page_size == 1000);

  auto next = decode_read_request(encode_read_request({kBase, {}, "8f3a.1000", 5000}));
  REQUIRE(next);
  CHECK(next->cookie == "8f3a.1000");
  CHECK(next->page_size == 5000);
  CHECK(decode_read_request(R"({"base_dn":"OU=x"})")->page_size == 500);  // the default
}

TEST_CASE("apihost wire: a read page round trips entries, bytes and the cookie",
          "[apihost][wire]") {
  ReadPage page{true, {sample_entry("chen"), sample_entry("lin")}, "8f3a.2"};
  auto& bare = page.entries[1];  // an entry with no attributes asked for
  bare = DirectoryEntry(std::string(bare.dn()), std::string(bare.anchor()));
  auto decoded = decode_read_page(encode_read_page(page));
  REQUIRE(decoded);
  CHECK(decoded->base_exists);
  CHECK(decoded->cookie == "8f3a.2");
  REQUIRE(decoded->entries.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& got = decoded->entries[i];
    const auto& want = page.entries[i];
    CHECK(got.dn() == want.dn());
    CHECK(got.anchor() == want.anchor());
    REQUIRE(got.attributes().size() == want.attributes().size());
    for (std::size_t a = 0; a < want.attributes().size(); ++a) {
      const auto& name = want.attributes().name(a);
      REQUIRE(got.find(name));
      CHECK(got.find(name)->strings() == want.attributes().values(a).strings());
    }
  }

  auto last = decode_read_page(encode_read_page({false, {}, ""}));
  REQUIRE(last);
  CHECK_FALSE(last->base_exists);
  CHECK(last->entries.empty());
  CHECK(last->cookie.empty());
}

TEST_CASE("apihost wire: summaries name the action, the DN and the target", "[apihost][wire]") {
  CHECK(summarize(sample_op("move")) ==
        "move CN=chen,OU=戶政科," + kBase + " -> CN=chen2,OU=教育局," + kBase);
  CHECK(summarize(sample_op("rename")) == "rename CN=chen,OU=戶政科," + kBase + " -> CN=chen2");
  CHECK(summarize(sample_op("set_password")) == "set_password CN=chen,OU=戶政科," + kBase);
  CHECK(summarize(sample_op("set_password")).find("Kq7v") == std::string::npos);
  for (const auto& action : kAllActions) {
    auto known = parse_wire_action(action);
    REQUIRE(known);
    CHECK(to_string(*known) == action);  // one spelling each way
  }
  CHECK(wire_action(OpType::remove) == WireAction::remove);
  CHECK_FALSE(parse_wire_action("tree_delete"));
  CHECK_FALSE(parse_wire_action("remove"));  // OpType::remove is "delete" on the wire
}
