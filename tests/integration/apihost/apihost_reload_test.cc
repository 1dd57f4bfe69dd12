// SIGHUP on the real portalsync-apihost: a valid file takes effect for the next requests (a
// revoked token is refused, a new one accepted, a narrower subtree holds); an invalid file is
// refused with the reason in the log and the running configuration kept.
#include <catch2/catch.hpp>

#include "apihost_world.h"

using namespace ps::testing;
using namespace apihost_test;
using Catch::Contains;

namespace {

const std::string kNewToken = "rotated-portal-token-9876543210";

// The status of an empty batch (a no-op that needs a valid token) sent with `token`.
int status_with(const ApiHost& host, const std::string& token) {
  return http_status(host.curl("POST", "/v1/batch", R"({"operations":[]})",
                               {"--cert", host.client.cert_file, "--key", host.client.key_file,
                                "-H", "Authorization: Bearer " + token}));
}

}  // namespace

TEST_CASE("api host: SIGHUP swaps the tokens for new requests, a broken file changes nothing",
          "[apihost][reload]") {
  ApiHost host("apihost-reload");
  REQUIRE(status_with(host, kToken) == 200);

  host.write_config(ApiHost::token_yaml("portal-sync-2", kNewToken));
  auto reloaded = host.reload();
  CHECK_THAT(reloaded, Contains("apihost: configuration reloaded from"));
  CHECK_THAT(reloaded, Contains("(tokens: 1, managing " + host.base + ")"));
  CHECK(status_with(host, kToken) == 401);  // revoked
  CHECK(status_with(host, kNewToken) == 200);

  // A hash that is not one: refused, said why, the running tokens kept.
  host.write_config("    - name: portal-sync-3\n      sha256: " + kToken + "\n");
  auto refused = host.reload();
  CHECK_THAT(refused, Contains("apihost: reload refused, keeping the running configuration: "));
  CHECK_THAT(refused, Contains("apihost.tokens[0].sha256: must be the SHA-256 of the token"));
  CHECK(status_with(host, kNewToken) == 200);

  // Not YAML at all: the same.
  write_file(host.dir.file("apihost.yaml"), "apihost: [\n");
  CHECK_THAT(host.reload(), Contains("reload refused, keeping the running configuration: "));
  CHECK(status_with(host, kNewToken) == 200);
  CHECK(status_with(host, kToken) == 401);
  CHECK_FALSE(has_exited(host.pid));
  CHECK(host.log().find(kToken) == std::string::npos);  // tokens are never logged
  CHECK(host.log().find(kNewToken) == std::string::npos);
}

TEST_CASE("api host: a reload narrows the subtree for the next batch, listen waits for a restart",
          "[apihost][reload]") {
  ApiHost host("apihost-reload-subtree");
  auto first = host.curl("POST", "/v1/batch", add_ou_batch("rs-1", "OU=inner," + host.base),
                         host.full_auth());
  REQUIRE_THAT(first.out, Contains(R"("status":"applied")"));

  auto narrowed = host.dir.file("apihost.yaml");
  host.write_config(ApiHost::token_yaml("portal-sync", kToken));
  auto text = read_file(narrowed);
  auto at = text.find("allowed_base_dn: \"");
  text.insert(at + std::string("allowed_base_dn: \"").size(), "OU=inner,");
  at = text.find("127.0.0.1:" + std::to_string(host.port));
  text.replace(at, std::string("127.0.0.1:").size(), "127.0.0.2:");
  write_file(narrowed, text);
  auto reloaded = host.reload();
  CHECK_THAT(reloaded, Contains("managing OU=inner," + host.base));
  CHECK_THAT(reloaded, Contains("apihost.listen changed in " + narrowed +
                                "; it takes effect at the next restart"));

  // Still listening where it was; the old subtree outside OU=inner is now refused.
  auto outside = host.curl("POST", "/v1/batch", add_ou_batch("rs-2", "OU=beside," + host.base),
                           host.full_auth());
  CHECK_THAT(outside.out, Contains("is not below the subtree this API host manages (OU=inner,"));
  auto inside =
      host.curl("POST", "/v1/batch", add_ou_batch("rs-3", "OU=deeper,OU=inner," + host.base),
                host.full_auth());
  CHECK_THAT(inside.out, Contains(R"("status":"applied")"));
  CHECK(host.count("(ou=beside)") == 0);
  CHECK(host.count("(ou=deeper)") == 1);
}
