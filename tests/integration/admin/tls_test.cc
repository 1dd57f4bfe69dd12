// The admin endpoint over TLS with a throwaway CA: curl trusts it with --cacert, a plain-HTTP
// client gets nowhere, and bad TLS settings stop start() with a message naming the setting.
#include "tests/integration/admin/admin_test_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

using namespace admin_test;
using namespace ps::testing;

TEST_CASE("admin over TLS serves curl --cacert", "[admin][tls]") {
  TempDir dir("ps-admin-tls");
  auto certs = make_test_certificates(dir.path());
  auto settings = loopback_settings(two_tokens());
  settings.tls_cert = certs.cert_file;
  settings.tls_key = certs.key_file;
  Calls calls;
  TestServer server(settings, demo_router(calls));
  REQUIRE(server.url("").rfind("https://127.0.0.1:", 0) == 0);

  auto health = curl({"--cacert", certs.ca_file, server.url("/healthz")});
  INFO(health.curl_error);
  CHECK(health.status == 200);
  auto who = curl({"--cacert", certs.ca_file, "-H", bearer(kOpsToken), server.url("/v1/whoami")});
  CHECK(who.body == "{\"actor\":\"ops\"}\n");
  auto denied = curl({"--cacert", certs.ca_file, server.url("/v1/whoami")});
  CHECK(denied.status == 401);
  auto big = curl({"--cacert", certs.ca_file, "-H", bearer(kOpsToken), "-d",
                   std::string(100 * 1024, 'x'), server.url("/v1/approvals/1")});
  CHECK(big.status == 413);

  CHECK(curl({server.url("/healthz")}).status == 0);  // untrusted certificate
  std::string plain_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/healthz";
  CHECK(curl({plain_url}).status == 0);
  CHECK(curl({"--cacert", certs.ca_file, server.url("/healthz")}).status == 200);
}

TEST_CASE("admin start fails clearly on bad TLS files, listen address or tokens", "[admin][tls]") {
  TempDir dir("ps-admin-tls");
  auto certs = make_test_certificates(dir.path());
  boost::asio::io_context io;
  CaptureLogger log;
  auto start_error = [&](AdminSettings settings) {
    AdminServer server(io, std::move(settings), Router(), log);
    return server.start().message();
  };
  auto settings = loopback_settings();
  settings.tls_cert = certs.cert_file;
  CHECK(start_error(settings) == "admin: TLS needs both tls_cert and tls_key");
  settings.tls_key = dir.file("missing.key");
  CHECK(start_error(settings).rfind("admin.tls_key " + dir.file("missing.key") + ": cannot load",
                                    0) == 0);
  settings.tls_key = certs.cert_file;
  CHECK_FALSE(start_error(settings).empty());
  settings = loopback_settings();
  settings.listen = "localhost:8650";
  CHECK(start_error(settings) ==
        "admin.listen \"localhost:8650\": \"localhost\" is not an IP address (host names are not "
        "resolved)");
  settings.listen = "127.0.0.1:99999";
  CHECK(start_error(settings) ==
        "admin.listen \"127.0.0.1:99999\": the port must be a number from 0 to 65535");
  settings = loopback_settings({{"ops", "not-a-hash"}});
  CHECK(start_error(settings) ==
        "admin token 1 (ops): sha256 must be 64 hex digits (the output of sha256sum)");

  AdminServer taken(io, loopback_settings(), Router(), log);
  REQUIRE(taken.start());
  settings = loopback_settings();
  settings.listen = "127.0.0.1:" + std::to_string(taken.port());
  CHECK(start_error(settings) ==
        "admin.listen " + settings.listen + ": cannot listen: Address already in use");
}

TEST_CASE("admin refuses plain HTTP off loopback unless allow_insecure_listen, then warns",
          "[admin][tls]") {
  TempDir dir("ps-admin-tls");
  auto certs = make_test_certificates(dir.path());
  boost::asio::io_context io;
  CaptureLogger log;
  auto settings = loopback_settings(two_tokens());
  settings.listen = "0.0.0.0:0";  // every interface: reachable from other machines
  {
    AdminServer server(io, settings, Router(), log);
    auto started = server.start();
    REQUIRE_FALSE(started);
    CHECK(started.message().rfind("admin.listen 0.0.0.0:0: plain HTTP on an address other than "
                                  "loopback would send tokens and passwords in clear text",
                                  0) == 0);
    CHECK(server.port() == 0);  // nothing was bound
  }
  {
    auto tls = settings;
    tls.tls_cert = certs.cert_file;
    tls.tls_key = certs.key_file;
    AdminServer server(io, tls, Router(), log);
    CHECK(server.start());
  }
  CHECK(log.text().find("INSECURE") == std::string::npos);
  settings.allow_insecure_listen = true;
  AdminServer server(io, settings, Router(), log);
  CHECK(server.start());
  CHECK(log.text().find("admin: INSECURE: listening on 0.0.0.0:0 without TLS") !=
        std::string::npos);
}
