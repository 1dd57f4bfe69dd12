#include <catch2/catch.hpp>

#include "core/dn.h"
#include "core/text.h"

using namespace ps;

TEST_CASE("DN values escape the RFC 4514 specials and survive a parse", "[dn]") {
  const std::string hostile = " #a,b+c\"d\\e<f>g;h=i ";
  std::string rdn = make_rdn("ou", hostile);
  CHECK(rdn == "ou=\\ #a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i\\ ");
  auto parsed = parse_dn(join_dn(rdn, "dc=example,dc=org"));
  REQUIRE(parsed);
  REQUIRE(parsed->rdns.size() == 3);
  CHECK(parsed->rdns[0].avas[0].value == hostile);
}

TEST_CASE("Chinese values are kept as UTF-8 and hex escapes from the server are decoded", "[dn]") {
  auto parsed = parse_dn("ou=\\E8\\87\\BA\\E5\\8D\\97\\23x,dc=tw");
  REQUIRE(parsed);
  CHECK(parsed->rdns[0].avas[0].value == "臺南#x");
  CHECK(normalize_dn("OU=臺南\\23x, DC=TW") == normalize_dn("ou=\\E8\\87\\BA\\E5\\8D\\97#x,dc=tw"));
}

TEST_CASE("filter values escape the RFC 4515 specials", "[dn]") {
  CHECK(escape_filter_value("a*(b)\\") == "a\\2a\\28b\\29\\5c");
}

TEST_CASE("parent_dn and first_rdn work on the parsed form", "[dn]") {
  CHECK(parent_dn("uid=a\\,b,ou=x,dc=y") == "ou=x,dc=y");
  CHECK(first_rdn("uid=a\\,b,ou=x,dc=y") == "uid=a\\,b");
  CHECK(parent_dn("dc=y").empty());
}

TEST_CASE("is_dn_below compares RDNs, not text: an escaped comma is no separator", "[dn]") {
  CHECK(is_dn_below("uid=a,ou=x,dc=y", "ou=x,dc=y"));
  CHECK(is_dn_below("UID=a, OU=X,DC=Y", "ou=x,dc=y"));
  CHECK(is_dn_below("uid=a,ou=b,ou=x,dc=y", "ou=x,dc=y"));
  CHECK_FALSE(is_dn_below("ou=x,dc=y", "ou=x,dc=y"));         // the base itself is not below it
  CHECK_FALSE(is_dn_below("cn=a\\,ou=x,dc=y", "ou=x,dc=y"));  // cn="a,ou=x" under dc=y
  CHECK_FALSE(is_dn_below("uid=a,ou=xx,dc=y", "ou=x,dc=y"));
  CHECK_FALSE(is_dn_below("uid=a,dou=x,dc=y", "ou=x,dc=y"));
  CHECK_FALSE(is_dn_below("not a dn", "ou=x,dc=y"));
}

TEST_CASE("UTF-8 validation rejects broken and overlong sequences", "[text]") {
  CHECK(is_valid_utf8("王小明"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
  CHECK_FALSE(is_valid_utf8("\xE7\x8E"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK(utf8_char_length("a王", 1) == 3);
  CHECK(utf8_char_length("a\xE7\x8E", 1) == 0);
  CHECK(with_invalid_utf8_replaced("a\xFF王\xE7\x8E", "?") == "a?王??");
  CHECK(mask_national_id("L224012345") == "L2240*****");
}

TEST_CASE("hex_encode writes two lower-case digits a byte", "[text]") {
  CHECK(hex_encode(std::string("\x00\x7f\xab\xff", 4)) == "007fabff");
  CHECK(hex_encode("").empty());
}

#include "core/mapping.h"

TEST_CASE("phone numbers take the telephone syntax: # becomes ext., other marks drop it",
          "[mapping]") {
  CHECK(ps::directory_phone("06-2991111#1234") == "06-2991111 ext. 1234");
  CHECK(ps::directory_phone("(06) 299-1111") == "(06) 299-1111");
  CHECK(ps::directory_phone("06-2991111分機12").empty());
}
