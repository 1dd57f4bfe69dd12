// The contract's guarantees, exercised with curl as a raw client: idempotency keys (also across a
// restart), mutual TLS and the token, the subtree, and operations outside the contract.
#include <catch2/catch.hpp>

#include "apihost_world.h"

using namespace ps::testing;
using namespace apihost_test;
using Catch::Contains;

TEST_CASE("api host: a replayed batch applies nothing twice, also after a restart", "[apihost]") {
  ApiHost host("apihost-replay");
  auto batch = add_ou_batch("run-1-0", "OU=replayed," + host.base);
  auto first = host.curl("POST", "/v1/batch", batch, host.full_auth());
  INFO(first.out << first.err << host.log());
  REQUIRE(http_status(first) == 200);
  CHECK_THAT(first.out, Contains(R"("status":"applied")"));

  auto again = host.curl("POST", "/v1/batch", batch, host.full_auth());
  CHECK(http_status(again) == 200);
  CHECK_THAT(again.out, Contains(R"("status":"already_applied")"));

  host.kill_hard();
  host.start();
  auto after_restart = host.curl("POST", "/v1/batch", batch, host.full_auth());
  CHECK_THAT(after_restart.out, Contains(R"("status":"already_applied")"));
  CHECK(host.count("(ou=replayed)") == 1);

  // The same key for another operation is refused, not applied.
  auto reused = host.curl("POST", "/v1/batch", add_ou_batch("run-1-0", "OU=other," + host.base),
                          host.full_auth());
  CHECK_THAT(reused.out, Contains(R"("status":"refused")"));
  CHECK_THAT(reused.out, Contains("was already used for another operation"));
  CHECK(host.count("(ou=other)") == 0);
}

TEST_CASE("api host: a wrong or missing client certificate or token is refused, nothing applied",
          "[apihost]") {
  ApiHost host("apihost-auth");
  auto batch = add_ou_batch("auth-1", "OU=intruder," + host.base);
  std::vector<std::string> token = {"-H", "Authorization: Bearer " + kToken};
  std::vector<std::string> cert = {"--cert", host.client.cert_file, "--key", host.client.key_file};

  // No client certificate: the TLS handshake fails, no HTTP answer at all.
  auto no_cert = host.curl("POST", "/v1/batch", batch, token);
  CHECK(http_status(no_cert) == 0);
  CHECK_FALSE(no_cert.ok());

  // A certificate from another CA.
  TempDir rogue_dir("ps-rogue");
  make_test_certificates(rogue_dir.path());
  auto rogue = make_client_certificate(rogue_dir.path(), "rogue");
  auto rogue_args = token;
  rogue_args.insert(rogue_args.end(), {"--cert", rogue.cert_file, "--key", rogue.key_file});
  auto wrong_cert = host.curl("POST", "/v1/batch", batch, rogue_args);
  CHECK(http_status(wrong_cert) == 0);

  auto no_token = host.curl("POST", "/v1/batch", batch, cert);
  CHECK(http_status(no_token) == 401);
  auto bad_args = cert;
  bad_args.insert(bad_args.end(), {"-H", "Authorization: Bearer not-the-token"});
  auto wrong_token = host.curl("POST", "/v1/batch", batch, bad_args);
  CHECK(http_status(wrong_token) == 401);
  CHECK_THAT(wrong_token.out, Contains("the bearer token is not valid"));

  CHECK(host.count("(ou=intruder)") == 0);
  // The health call needs the certificate but no token.
  auto health = host.curl("GET", "/v1/health", "", cert);
  CHECK(http_status(health) == 200);
  CHECK_THAT(health.out, Contains(R"("directory":"reachable")"));
}

TEST_CASE("api host: operations outside the subtree or the contract are refused", "[apihost]") {
  ApiHost host("apihost-subtree");
  auto outside =
      host.curl("POST", "/v1/batch", add_ou_batch("out-1", "OU=apihost-escape," + host.dc.base_dn),
                host.full_auth());
  INFO(outside.out << outside.err);
  CHECK(http_status(outside) == 200);
  CHECK_THAT(outside.out, Contains(R"("status":"refused")"));
  CHECK_THAT(outside.out, Contains("is not below the subtree this API host manages"));
  CHECK(host.dc.admin_client().search(host.dc.base_dn, "(ou=apihost-escape)", {"1.1"})->empty());

  // A move out of the subtree, and a read of the whole domain.
  auto move =
      host.curl("POST", "/v1/batch",
                R"({"operations":[{"key":"out-2","action":"move","dn":"CN=x,)" + host.base +
                    R"(","new_rdn":"CN=x","new_superior":"CN=Users,)" + host.dc.base_dn + R"("}]})",
                host.full_auth());
  CHECK_THAT(move.out, Contains("the new parent CN=Users"));
  auto read = host.curl("POST", "/v1/read", R"({"base_dn":")" + host.dc.base_dn + R"("})",
                        host.full_auth());
  CHECK(http_status(read) == 403);
  // A cookie the host never gave: refused like an expired one, whatever its digits.
  for (const std::string cookie : {"nope", "abc.99999999999999999999999", "abc.-1", ".5"}) {
    auto paged = host.curl("POST", "/v1/read",
                           R"({"base_dn":")" + host.base + R"(","cookie":")" + cookie + R"("})",
                           host.full_auth());
    CHECK(http_status(paged) == 403);
    CHECK_THAT(paged.out, Contains("start the read again"));
  }

  // Not in the contract: the whole batch is refused with 400, nothing applied.
  auto unknown = host.curl(
      "POST", "/v1/batch",
      R"({"operations":[{"key":"x-1","action":"tree_delete","dn":")" + host.base + R"("}]})",
      host.full_auth());
  CHECK(http_status(unknown) == 400);
  CHECK_THAT(unknown.out, Contains(R"(\"tree_delete\" is not in the contract)"));

  // A read inside the subtree works.
  auto inside =
      host.curl("POST", "/v1/read", R"({"base_dn":")" + host.base + R"(","attributes":["ou"]})",
                host.full_auth());
  CHECK(http_status(inside) == 200);
  CHECK_THAT(inside.out, Contains(R"("base_exists":true)"));
}
