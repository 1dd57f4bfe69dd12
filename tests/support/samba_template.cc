#include "tests/support/samba_template.h"
#include "tests/support/build_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

namespace fs = std::filesystem;

namespace {

// Bump when the provisioning recipe changes, so cached templates are made again (a change to the
// seed script is noticed by itself).
constexpr const char* kRecipe = "portalsync samba template 1";
const std::string kSeedScript = ps::testing::source_dir() + "/tests/support/samba_seed.py";

std::string template_dir() {
  const char* dir = std::getenv("PS_SAMBA_TEMPLATE");
  return dir ? dir : ps::testing::build_dir() + "/samba/template";
}

// What the template was made with: the recipe, the seed and the Samba that ran them.
std::string template_stamp() {
  auto version = run({"samba", "--version"});
  if (!version.ok()) throw std::runtime_error(version.describe("samba --version"));
  return std::string(kRecipe) + "\n" + version.out + read_file(kSeedScript);
}

// Upper and lower case, digits and a symbol: Samba's complexity rule wants three of the four.
std::string random_admin_password() {
  std::mt19937_64 random{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string password = "Ps-";
  for (int i = 0; i < 20; ++i) password += hex[random() & 15];
  return password;
}

// Paths samba-tool and samba would otherwise take from the system's smb.conf (/var/lib/samba,
// /run/samba): everything stays in dir.
std::vector<std::string> path_options(const std::string& dir) {
  return {"private dir = " + dir + "/private",
          "lock directory = " + dir,
          "state directory = " + dir + "/state",
          "cache directory = " + dir + "/cache",
          "pid directory = " + dir + "/run",
          "ncalrpc dir = " + dir + "/ncalrpc",
          "winbindd socket directory = " + dir + "/winbindd",
          "binddns dir = " + dir + "/bind-dns",
          "log file = " + dir + "/samba.log"};
}

void run_or_throw(const std::vector<std::string>& argv, const std::string& what) {
  auto result = run(argv, "", 300);
  if (!result.ok()) throw std::runtime_error(result.describe(what));
}

void samba_tool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"samba-tool"};
  argv.insert(argv.end(), args.begin(), args.end());
  run_or_throw(argv, "samba-tool " + args[0] + " " + args[1]);
}

// Samba's Python bindings live in Debian's python3, whatever python3 comes first in PATH.
void seed(const std::string& dir) {
  run_or_throw({"/usr/bin/python3", kSeedScript, dir + "/etc/smb.conf", kSambaBigGroupOu,
                kSambaBigGroupCn, std::to_string(kSambaBigGroupMembers)},
               "samba_seed.py");
}

void provision(const std::string& dir, const std::string& password) {
  std::vector<std::string> args = {"domain",
                                   "provision",
                                   "--targetdir=" + dir,
                                   std::string("--realm=") + kSambaRealm,
                                   std::string("--domain=") + kSambaDomain,
                                   std::string("--host-name=") + kSambaHostName,
                                   "--server-role=dc",
                                   "--dns-backend=NONE",
                                   "--use-rfc2307",
                                   "--adminpass=" + password,
                                   "--option=interfaces = lo",
                                   "--option=bind interfaces only = yes",
                                   "--option=ldb:nosync = true"};
  for (const auto& option : path_options(dir)) args.push_back("--option=" + option);
  samba_tool(args);
  samba_tool({"domain", "passwordsettings", "set", "-s", dir + "/etc/smb.conf", "--min-pwd-age=0",
              "--max-pwd-age=0"});
}

// Provisions into a scratch directory beside the template and renames it into place, so a run
// that dies half-way leaves no half-made template.
void make_template(const std::string& dir, const std::string& stamp) {
  std::string scratch = dir + ".new-" + std::to_string(::getpid());
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  std::string password = random_admin_password();
  try {
    provision(scratch, password);
    seed(scratch);
  } catch (...) {
    fs::remove_all(scratch);
    throw;
  }
  write_file(scratch + "/admin.password", password, 0600);
  write_file(scratch + "/stamp", stamp);
  fs::remove_all(dir);
  fs::rename(scratch, dir);
}

bool is_current(const std::string& dir, const std::string& stamp) {
  if (!fs::exists(dir + "/stamp") || !fs::exists(dir + "/admin.password")) return false;
  return read_file(dir + "/stamp") == stamp;
}

}  // namespace

SambaTemplate samba_template() {
  std::string dir = template_dir();
  std::string stamp = template_stamp();
  if (!is_current(dir, stamp)) make_template(dir, stamp);
  return {dir, read_file(dir + "/admin.password")};
}

std::string samba_config(const std::string& dir, const std::string& address) {
  std::string conf = "[global]\n";
  auto line = [&conf](const std::string& text) { conf += "\t" + text + "\n"; };
  line(std::string("netbios name = ") + kSambaHostName);
  line(std::string("workgroup = ") + kSambaDomain);
  line(std::string("realm = ") + kSambaRealm);
  line("server role = active directory domain controller");
  line("server services = ldap");
  // An address with a prefix length is taken as given, even when no interface carries it
  // (Linux answers on all of 127.0.0.0/8).
  line("interfaces = " + address + "/8");
  line("bind interfaces only = yes");
  for (const auto& option : path_options(dir)) line(option);
  line("logging = file");
  line("idmap_ldb:use rfc2307 = yes");
  line("ldb:nosync = true");
  line("tls enabled = yes");
  line("tls certfile = " + dir + "/tls/server.crt");
  line("tls keyfile = " + dir + "/tls/server.key");
  line("tls cafile = " + dir + "/tls/ca.crt");
  return conf;
}

}  // namespace ps::testing
