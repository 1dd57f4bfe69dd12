#include "tests/support/slapd_server.h"

#include <ldap.h>
#include <sys/wait.h>

#include <csignal>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include "core/dn.h"
#include "core/text.h"
#include "tests/support/ldap_direct.h"
#include "tests/support/process.h"
#include "tests/support/test_certs.h"

namespace ps::testing {

namespace {

using namespace std::chrono_literals;

constexpr auto kReadyTimeout = 5s;
constexpr int kPortAttempts = 5;

std::string random_password() {
  std::mt19937_64 random{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string password;
  for (int i = 0; i < 24; ++i) password += hex[random() & 15];
  return password;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// The suffix entry, from the suffix's first RDN (dc=, o= or ou=).
AttributeValues suffix_entry(const std::string& suffix) {
  auto dn = parse_dn(suffix);
  if (!dn || dn->rdns.empty()) throw std::runtime_error("invalid slapd suffix: " + suffix);
  const Ava& ava = dn->rdns.front().avas.front();
  std::string type = to_lower_ascii(ava.type);
  if (type == "dc")
    return {{"objectClass", {"dcObject", "organization"}}, {"dc", {ava.value}}, {"o", {ava.value}}};
  if (type == "o") return {{"objectClass", {"organization"}}, {"o", {ava.value}}};
  if (type == "ou") return {{"objectClass", {"organizationalUnit"}}, {"ou", {ava.value}}};
  throw std::runtime_error("slapd suffix must start with dc=, o= or ou=: " + suffix);
}

}  // namespace

SlapdServer::SlapdServer(SlapdOptions options)
    : options_(std::move(options)),
      dir_("ps-slapd"),
      admin_dn_("cn=admin," + options_.suffix),
      admin_password_(random_password()),
      password_file_(dir_.file("admin.password")),
      config_file_(dir_.file("slapd.conf")),
      log_file_(dir_.file("slapd.log")) {
  write_file(password_file_, admin_password_, 0600);
  std::filesystem::create_directory(dir_.file("data"));
  if (options_.tls) {
    auto certs = make_test_certificates(dir_.path());
    ca_file_ = certs.ca_file;
    cert_file_ = certs.cert_file;
    key_file_ = certs.key_file;
  }
  // Ports are only free "right now": if another test grabs one first, slapd exits at once and
  // we try again with new ones.
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    port_ = free_loopback_port();
    ldaps_port_ = options_.tls ? free_loopback_port() : 0;
    write_config();
    std::string failure = try_start();
    if (failure.empty()) break;
    if (attempt == kPortAttempts)
      throw std::runtime_error(failure + " (attempt " + std::to_string(attempt) + "); output:\n" +
                               log());
  }
  try {
    add_suffix_entry();
  } catch (...) {
    stop();
    throw;
  }
}

SlapdServer::~SlapdServer() { stop(); }

std::string SlapdServer::url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }

std::string SlapdServer::ldaps_url() const {
  return ldaps_port_ ? "ldaps://127.0.0.1:" + std::to_string(ldaps_port_) : "";
}

std::string SlapdServer::log() const {
  try {
    return read_file(log_file_);
  } catch (const std::exception&) {
    return "";
  }
}

LdapClient SlapdServer::admin_client() const {
  return LdapClient({url(), admin_dn_, password_file_, ca_file_, false});
}

void SlapdServer::write_config() {
  std::string conf;
  for (const char* schema : {"core", "cosine", "inetorgperson", "nis"})
    conf += std::string("include /etc/ldap/schema/") + schema + ".schema\n";
  conf += "modulepath /usr/lib/ldap\nmoduleload back_mdb\n";
  if (options_.ppolicy != SlapdOptions::Ppolicy::none) conf += "moduleload ppolicy\n";
  for (const auto& module : options_.extra_modules) conf += "moduleload " + module + "\n";
  conf += "pidfile " + dir_.file("slapd.pid") + "\nargsfile " + dir_.file("slapd.args") + "\n";
  if (options_.tls) {
    conf += "TLSCACertificateFile " + ca_file_ + "\nTLSCertificateFile " + cert_file_ +
            "\nTLSCertificateKeyFile " + key_file_ + "\n";
  }
  conf += "\ndatabase mdb\n";
  conf += "suffix \"" + options_.suffix + "\"\nrootdn \"" + admin_dn_ + "\"\n";
  conf += "rootpw " + admin_password_ + "\n";
  conf += "directory " + dir_.file("data") + "\n";
  // back-mdb's default map is 10 MB; benchmarks add 100k entries. The file stays sparse.
  conf += "maxsize 4294967296\n";
  conf += "dbnosync\n";  // ~3x faster writes; durability across power loss is not under test
  conf += "index objectClass,uid,entryUUID eq\n";
  if (options_.ppolicy == SlapdOptions::Ppolicy::overlay) conf += "overlay ppolicy\n";
  conf += options_.extra_config + "\n";
  write_file(config_file_, conf, 0600);

  auto check = run({"slaptest", "-u", "-f", config_file_});
  if (!check.ok()) throw std::runtime_error(check.describe("slaptest " + config_file_));
}

void SlapdServer::start() {
  if (running()) return;
  std::string failure = try_start();
  if (!failure.empty()) throw std::runtime_error(failure + "; output:\n" + log());
}

std::string SlapdServer::try_start() {
  std::string listen = url() + "/";
  if (options_.tls) listen += " " + ldaps_url() + "/";
  const char* level = std::getenv("PS_SLAPD_DEBUG");  // e.g. "stats" to see every operation
  pid_ = spawn({"slapd", "-d", level ? level : "0", "-f", config_file_, "-h", listen}, log_file_);
  try {
    wait_until_ready();
  } catch (const std::exception& e) {
    if (running()) stop();
    return e.what();
  }
  return "";
}

void SlapdServer::wait_until_ready() {
  auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (!ldap_answers(url())) {
    int status = 0;
    if (has_exited(pid_, &status)) {
      pid_ = -1;
      throw std::runtime_error("slapd on " + url() + " exited during start-up (" +
                               describe_wait_status(status) + ")");
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("slapd on " + url() + " did not answer within 5 s");
    std::this_thread::sleep_for(5ms);
  }
}

void SlapdServer::stop() {
  if (!running()) return;
  ps::testing::stop(pid_, SIGTERM, 5);
  pid_ = -1;
}

std::vector<LdifEntry> SlapdServer::search(const std::string& base, const std::string& filter,
                                           std::vector<std::string> attrs) const {
  std::vector<std::string> args = {"-LLL", "-o", "ldif-wrap=no", "-E", "pr=1000/noprompt",
                                   "-b",   base, filter};
  args.insert(args.end(), attrs.begin(), attrs.end());
  auto result = admin_client().run_tool("ldapsearch", "", args);
  if (result.exit_code == LDAP_NO_SUCH_OBJECT) return {};
  if (!result.ok()) throw std::runtime_error(result.describe("ldapsearch -b \"" + base + "\""));
  return parse_ldif(result.out);
}

int SlapdServer::add(const std::string& ldif) const {
  return admin_client().run_tool("ldapadd", ldif).exit_code;
}

int SlapdServer::modify(const std::string& ldif) const {
  return admin_client().run_tool("ldapmodify", ldif).exit_code;
}

void SlapdServer::load_offline(const std::string& ldif) {
  bool was_running = running();
  stop();
  auto loaded = run({"slapadd", "-q", "-f", config_file_}, ldif, 600);
  if (was_running) start();
  if (!loaded.ok()) throw std::runtime_error(loaded.describe("slapadd"));
}

void SlapdServer::add_suffix_entry() {
  auto added = ldap_add_entry(url(), admin_dn_, admin_password_, options_.suffix,
                              suffix_entry(options_.suffix));
  if (!added) throw std::runtime_error(added.message());
}

}  // namespace ps::testing
