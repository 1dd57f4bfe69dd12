// The API-host end-to-end tests' world: the shared Samba DC, an OU of the test's own, a real
// portalsync-apihost process on a loopback port (TLS with a test CA, client certificates, a
// token), and a portal database whose portalsync configuration uses the apihost connector.
// ldapsearch as the domain administrator reads back what AD holds; curl plays a raw client.
#pragma once

#include <chrono>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "daemon/admin/tokens.h"
#include "tests/support/ldif.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/process.h"
#include "tests/support/samba_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

namespace apihost_test {

using namespace ps::testing;

inline const std::string kToken = "portal-app-token-0123456789";

struct ApiHost {
  const SambaDc& dc;
  std::string base;
  TempDir dir{"ps-apihost"};
  TestCertificates certs = make_test_certificates(dir.path());
  ClientCertificate client = make_client_certificate(dir.path(), "portal-app-01");
  int port = free_loopback_port();
  pid_t pid = -1;

  explicit ApiHost(const std::string& ou) : dc(shared_samba()), base(dc.fresh_ou(ou)) {
    write_config(token_yaml("portal-sync", kToken));
    write_file(dir.file("token"), kToken + "\n", 0600);
    start();
  }
  ~ApiHost() {
    if (pid > 0) stop(pid, SIGTERM);
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port); }
  std::string log() const {
    try {
      return read_file(dir.file("apihost.log"));
    } catch (const std::runtime_error&) {
      return "";  // not written yet
    }
  }

  void start() {
    auto before = log_size();
    pid =
        spawn({bin("portalsync-apihost"), "-c", dir.file("apihost.yaml")}, dir.file("apihost.log"));
    for (int i = 0; i < 200; ++i) {
      if (log().find("listening on", before) != std::string::npos) return;
      if (has_exited(pid)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("portalsync-apihost did not start:\n" + log());
  }
  void kill_hard() {
    stop(pid, SIGKILL);
    pid = -1;
  }

  // apihost.yaml with these token entries (token_yaml) and `extra` top-level sections.
  void write_config(const std::string& tokens, const std::string& extra = "") const {
    write_file(dir.file("apihost.yaml"),
               "apihost:\n  listen: \"127.0.0.1:" + std::to_string(port) + "\"\n" +
                   "  tls_cert: " + certs.cert_file + "\n  tls_key: " + certs.key_file +
                   "\n  client_ca: " + certs.ca_file + "\n  allowed_base_dn: \"" + base +
                   "\"\n  database: " + requests_db() + "\n  tokens:\n" + tokens +
                   "directory:\n  flavor: ad\n  url: \"" + dc.url + "\"\n  ca_file: \"" +
                   dc.ca_file + "\"\n  bind_dn: \"" + dc.admin_dn + "\"\n  bind_password_file: \"" +
                   dc.password_file + "\"\n" + extra);
  }
  static std::string token_yaml(const std::string& name, const std::string& token) {
    return "    - name: " + name + "\n      sha256: " + ps::sha256_hex(token) + "\n";
  }
  std::string requests_db() const { return dir.file("requests.db"); }

  // SIGHUP, then what the host logged about it (a reload or its refusal).
  std::string reload() const {
    auto before = log_size();
    ::kill(pid, SIGHUP);
    return wait_for_log({"configuration reloaded", "reload refused"}, before);
  }
  // The log from `from` on, once it holds one of `texts` (or after 10 s).
  std::string wait_for_log(const std::vector<std::string>& texts, std::size_t from = 0) const {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text = log();
      text.erase(0, std::min(from, text.size()));
      for (const auto& t : texts)
        if (text.find(t) != std::string::npos) return text;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return text;
  }
  std::size_t log_size() const { return log().size(); }

  // The portalsync side: a portal database and a configuration that reaches AD through us.
  void configure(const PortalFixture& portal, const std::string& extra_yaml = "") const {
    write_file(portal.config(),
               "portal:\n  database: \"sqlite3://db=" + portal.database() + "\"\n" +
                   "directory:\n  connector: apihost\n  flavor: ad\n  base_dn: \"" + base +
                   "\"\n  upn_suffix: portal.test\n  apihost:\n    url: " + url() +
                   "\n    ca_file: " + certs.ca_file + "\n    client_cert: " + client.cert_file +
                   "\n    client_key: " + client.key_file +
                   "\n    token_file: " + dir.file("token") + "\n" + extra_yaml);
  }

  // curl as a raw client: `auth` adds the client certificate and the token.
  RunResult curl(const std::string& method, const std::string& path, const std::string& body,
                 const std::vector<std::string>& auth) const {
    std::vector<std::string> argv = {"curl", "-sS",      "--max-time",  "30", "-X",
                                     method, "--cacert", certs.ca_file, "-w", "\n%{http_code}"};
    argv.insert(argv.end(), auth.begin(), auth.end());
    if (!body.empty()) {
      argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", "@-"});
    }
    argv.push_back(url() + path);
    return run(argv, body);
  }
  std::vector<std::string> full_auth() const {
    return {"--cert", client.cert_file,
            "--key",  client.key_file,
            "-H",     "Authorization: Bearer " + kToken};
  }

  std::optional<LdifEntry> entry(const std::string& filter) const {
    auto found = dc.admin_client().search(base, filter, {"*", "objectGUID"});
    if (!found || found->empty()) return std::nullopt;
    return found->front();
  }
  std::size_t count(const std::string& filter) const {
    auto found = dc.admin_client().search(base, filter, {"1.1"});
    return found ? found->size() : 0;
  }
};

// A batch adding one OU (with a description) under the key `key`.
inline std::string add_ou_batch(const std::string& key, const std::string& dn) {
  return R"({"operations":[{"key":")" + key + R"(","action":"add","object":"org_unit","dn":")" +
         dn +
         R"(","mods":[{"kind":"add","attribute":"objectClass","values":["organizationalUnit"]},)" +
         R"({"kind":"add","attribute":"description","values":["made through the API host"]}]}]})";
}

// How often `what` occurs in `text` (lines of the host's log, say).
inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The HTTP status curl printed last (-w), or 0 when the request failed before an answer.
inline int http_status(const RunResult& r) {
  auto nl = r.out.rfind('\n');
  if (nl == std::string::npos) return 0;
  try {
    return std::stoi(r.out.substr(nl + 1));
  } catch (...) {
    return 0;
  }
}

}  // namespace apihost_test
