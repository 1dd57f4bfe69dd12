#include "tests/support/samba_server.h"
#include "tests/support/build_paths.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

#include "core/dn.h"
#include "tests/support/ldap_direct.h"
#include "tests/support/process.h"
#include "tests/support/samba_template.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"

namespace ps::testing {

namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

constexpr auto kReadyTimeout = 30s;
constexpr int kStartAttempts = 3;
// A detached DC stops itself after this long, in case no fixture cleanup ever runs.
constexpr int kDetachedLifetimeSeconds = 3600;
const int kSambaPorts[] = {389, 636, 3268, 3269};
// The tree delete control: the server removes the entry and everything below it.
constexpr const char* kTreeDelete = "1.2.840.113556.1.4.805";

// Can we listen on port at address? Port 389 needs root (or CAP_NET_BIND_SERVICE): say so.
bool port_free(const std::string& address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  int error = errno;
  ::close(fd);
  if (!free && error == EACCES)
    throw std::runtime_error("Samba must listen on port 389: run the AD tests as root");
  return free;
}

// A loopback address with all of Samba's ports free, picked at random so that DCs of other test
// runs on this machine (each on its own address) are left alone.
std::string free_loopback_address() {
  std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> host(2, 254);
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::string address = "127.0.0." + std::to_string(host(random));
    bool free = true;
    for (int port : kSambaPorts) free = free && port_free(address, port);
    if (free) return address;
  }
  throw std::runtime_error("no loopback address 127.0.0.N has ports 389/636/3268/3269 free");
}

std::string read_or_empty(const std::string& path) {
  try {
    return read_file(path);
  } catch (const std::exception&) {
    return "";
  }
}

void copy_template(const SambaTemplate& from, const std::string& run_dir) {
  if (fs::exists(run_dir)) throw std::runtime_error("samba run dir already exists: " + run_dir);
  fs::create_directories(fs::path(run_dir).parent_path());
  // cp keeps the database files sparse, which std::filesystem::copy does not promise.
  auto copied = run({"cp", "-a", from.dir, run_dir});
  if (!copied.ok()) throw std::runtime_error(copied.describe("cp -a " + from.dir));
}

// samba in the foreground (-F; -i would exit at the end of stdin), one process (-M single).
std::vector<std::string> samba_command(const SambaDc& dc, SambaLifetime lifetime) {
  std::vector<std::string> argv = {"samba",  "-F", "-M",
                                   "single", "-s", dc.run_dir + "/etc/smb.conf"};
  if (lifetime == SambaLifetime::detached)
    argv.push_back("--maximum-runtime=" + std::to_string(kDetachedLifetimeSeconds));
  return argv;
}

// "" once the DC answers LDAP on its address; else why not.
std::string wait_until_ready(const SambaDc& dc, const std::string& address) {
  auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (!ldap_answers("ldap://" + address)) {
    if (has_exited(dc.pid)) return "samba exited during start-up";
    if (std::chrono::steady_clock::now() > deadline)
      return "samba did not answer on " + address + " within 30 s";
    std::this_thread::sleep_for(20ms);
  }
  return "";
}

// One try on a fresh address (another run may take it between our check and samba's bind).
std::string try_start(SambaDc& dc, SambaLifetime lifetime) {
  std::string address = free_loopback_address();
  fs::remove_all(dc.run_dir + "/tls");
  fs::create_directories(dc.run_dir + "/tls");
  auto certs = make_test_certificates(dc.run_dir + "/tls", address);
  dc.ca_file = certs.ca_file;
  dc.url = "ldaps://" + address;
  write_file(dc.run_dir + "/etc/smb.conf", samba_config(dc.run_dir, address));
  auto argv = samba_command(dc, lifetime);
  std::string out = dc.run_dir + "/samba.out";
  dc.pid = lifetime == SambaLifetime::detached ? spawn_detached(argv, out) : spawn(argv, out);
  std::string failure = wait_until_ready(dc, address);
  if (!failure.empty()) {
    stop_process_group(dc.pid);
    dc.pid = -1;
  }
  return failure;
}

bool is_samba(pid_t pid) {
  std::string comm = read_or_empty("/proc/" + std::to_string(pid) + "/comm");
  return comm.starts_with("samba");
}

}  // namespace

LdapClient SambaDc::admin_client() const {
  return LdapClient({url, admin_dn, password_file, ca_file, false});
}

LdapSettings SambaDc::connector_settings() const {
  LdapSettings s;
  s.url = url;
  s.tls = LdapSettings::Tls::ldaps;
  s.ca_file = ca_file;
  s.bind_dn = admin_dn;
  s.bind_password = admin_password;
  s.timeout_seconds = 10;
  s.anchor_attribute = "objectGUID";
  s.flavor = Flavor::ad;
  return s;
}

std::string SambaDc::fresh_ou(const std::string& name) const {
  std::string dn = join_dn(make_rdn("OU", name), base_dn);
  auto client = admin_client();
  auto deleted = client.run_tool("ldapdelete", "", {"-e", std::string("!") + kTreeDelete, dn});
  if (!deleted.ok() && deleted.exit_code != 32)  // 32: no such object (a first run)
    throw std::runtime_error(deleted.describe("ldapdelete " + dn));
  auto added = client.add("dn: " + dn + "\nobjectClass: organizationalUnit\n");
  if (!added) throw std::runtime_error(added.message());
  return dn;
}

std::string SambaDc::log() const {
  return read_or_empty(run_dir + "/samba.out") + read_or_empty(run_dir + "/samba.log");
}

SambaDc start_samba(const std::string& run_dir, SambaLifetime lifetime) {
  SambaTemplate from = samba_template();
  copy_template(from, run_dir);
  SambaDc dc;
  dc.run_dir = run_dir;
  dc.base_dn = kSambaBaseDn;
  dc.admin_dn = kSambaAdminDn;
  dc.admin_password = from.admin_password;
  dc.password_file = run_dir + "/admin.password";
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    std::string failure = try_start(dc, lifetime);
    if (failure.empty()) return dc;
    if (attempt == kStartAttempts) throw std::runtime_error(failure + "; output:\n" + dc.log());
  }
  return dc;
}

bool stop_samba(const SambaDc& dc) {
  if (dc.pid <= 0 || !is_samba(dc.pid)) return false;
  return stop_process_group(dc.pid);
}

std::string samba_state_file() {
  const char* path = std::getenv("PS_SAMBA_STATE");
  return path ? path : ps::testing::build_dir() + "/samba/state";
}

// key=value lines; the password itself stays in password_file.
void write_samba_state(const std::string& path, const SambaDc& dc) {
  std::string text = "pid=" + std::to_string(dc.pid) + "\nurl=" + dc.url +
                     "\nca_file=" + dc.ca_file + "\nbase_dn=" + dc.base_dn +
                     "\nadmin_dn=" + dc.admin_dn + "\npassword_file=" + dc.password_file +
                     "\nrun_dir=" + dc.run_dir + "\n";
  write_file(path, text, 0600);
}

std::optional<SambaDc> read_samba_state(const std::string& path) {
  std::map<std::string, std::string> fields;
  std::string text = read_or_empty(path);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (auto eq = line.find('='); eq != std::string::npos)
      fields[line.substr(0, eq)] = line.substr(eq + 1);
    start = end + 1;
  }
  if (!fields.count("pid")) return std::nullopt;
  SambaDc dc;
  dc.pid = std::atoi(fields["pid"].c_str());
  if (dc.pid <= 0 || !is_samba(dc.pid)) return std::nullopt;
  dc.url = fields["url"];
  dc.ca_file = fields["ca_file"];
  dc.base_dn = fields["base_dn"];
  dc.admin_dn = fields["admin_dn"];
  dc.password_file = fields["password_file"];
  dc.run_dir = fields["run_dir"];
  dc.admin_password = read_or_empty(dc.password_file);
  return dc;
}

namespace {

// The fixture's DC, or one of our own (then `own` holds its files and it is stopped at exit).
struct SharedDc {
  SambaDc dc;
  std::unique_ptr<TempDir> own;
  ~SharedDc() {
    if (own) stop_samba(dc);
  }
};

SharedDc find_or_start() {
  if (auto running = read_samba_state(samba_state_file())) return SharedDc{*running, nullptr};
  std::cerr << "no Samba DC from the ctest fixture (" << samba_state_file()
            << "): starting one for this process\n";
  auto dir = std::make_unique<TempDir>("ps-samba");
  SambaDc dc = start_samba(dir->file("dc"), SambaLifetime::this_process);
  return SharedDc{dc, std::move(dir)};
}

}  // namespace

const SambaDc& shared_samba() {
  static SharedDc shared = find_or_start();
  return shared.dc;
}

}  // namespace ps::testing
