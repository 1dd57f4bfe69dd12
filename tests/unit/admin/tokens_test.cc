// Bearer tokens: configured by hash, matched by the token itself, refused when malformed.
#include <catch2/catch.hpp>

#include "daemon/admin/tokens.h"

using namespace ps::admin;
using ps::sha256_hex;

TEST_CASE("admin token hashes match what sha256sum prints", "[admin][tokens]") {
  // printf 'secret' | sha256sum
  CHECK(sha256_hex("secret") == "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b");
}

TEST_CASE("admin tokens authenticate by hash and name the actor", "[admin][tokens]") {
  auto tokens = TokenSet::from_entries(
      {{"portal", sha256_hex("portal-token")}, {"ops", sha256_hex("ops-token")}});
  REQUIRE(tokens);
  CHECK(tokens->authenticate("ops-token")->name == "ops");
  CHECK(tokens->authenticate("portal-token")->name == "portal");
  CHECK_FALSE(tokens->authenticate("ops-token "));
  CHECK_FALSE(tokens->authenticate(sha256_hex("ops-token")));  // the hash is not the token
  CHECK_FALSE(tokens->authenticate(""));
  CHECK_FALSE(TokenSet().authenticate("ops-token"));
}

TEST_CASE("admin token entries are checked and errors name the entry", "[admin][tokens]") {
  auto hash = sha256_hex("x");
  CHECK(TokenSet::from_entries({{"ops", "abc"}}).error() ==
        "admin token 1 (ops): sha256 must be 64 hex digits (the output of sha256sum)");
  CHECK(TokenSet::from_entries({{"ops", hash}, {"ops", sha256_hex("y")}}).error() ==
        "admin token 2 (ops): the name is used twice");
  CHECK(TokenSet::from_entries({{"a", hash}, {"b", hash}}).error() ==
        "admin token 2 (b): the same token hash is configured under another name");
  CHECK_FALSE(TokenSet::from_entries({{"two words", hash}}));
  CHECK_FALSE(TokenSet::from_entries({{"", hash}}));
  std::string upper = hash;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(TokenSet::from_entries({{"ops", upper}}).value().authenticate("x"));
}

TEST_CASE("admin reads the token from an Authorization: Bearer header", "[admin][tokens]") {
  CHECK(bearer_token("Bearer abc") == std::optional<std::string_view>("abc"));
  CHECK(bearer_token("bearer   abc  ") == std::optional<std::string_view>("abc"));
  CHECK_FALSE(bearer_token(""));
  CHECK_FALSE(bearer_token("Bearer"));
  CHECK_FALSE(bearer_token("Bearer "));
  CHECK_FALSE(bearer_token("Basic b3BzOnB3"));
  CHECK_FALSE(bearer_token("Bearerabc"));
  CHECK_FALSE(bearer_token("Bearer a b"));
}
