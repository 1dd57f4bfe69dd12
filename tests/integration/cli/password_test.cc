// portalsync password set and unlock against a real slapd over TLS: the user can bind with what
// was set, the policy and the plaintext refusals send nothing, and the password shows up nowhere
// (output, change log, database file). Binds are checked with ldapwhoami, as any client would.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/portal_fixture.h"

using namespace ps::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kCivil = "ou=戶政科,ou=民政局,ou=臺南市政府,ou=portal,dc=example,dc=org";
const std::string kChenDn = "uid=chen.yating," + kCivil;
// Passes the default policy: 14 characters, 4 classes, no run longer than 2, not common.
const std::string kGood = "Ynk7#Qpr2!Wz5m";
const std::string kOther = "Hv3$Lmt8&Jq4Xe";

// With `policy`, a default ppolicy that locks an account after 3 failed binds until an
// administrator unlocks it (pwdLockoutDuration 0) and honours pwdReset (pwdMustChange), and
// users may change their own password.
SlapdOptions with_tls(bool policy) {
  SlapdOptions options;
  options.tls = true;
  if (policy)
    options.extra_config =
        "ppolicy_default \"cn=lockout,dc=example,dc=org\"\n"
        "access to attrs=userPassword by self write by anonymous auth by * none\n"
        "access to * by * read";
  return options;
}

const std::string kPolicyEntry =
    "dn: cn=lockout,dc=example,dc=org\nobjectClass: device\nobjectClass: pwdPolicy\n"
    "cn: lockout\npwdAttribute: userPassword\npwdLockout: TRUE\npwdMaxFailure: 3\n"
    "pwdLockoutDuration: 0\npwdMustChange: TRUE\n";

// A portal with the small Tainan tree synced into a slapd that speaks TLS, and a configuration
// that reaches it over StartTLS (the fixture's own one is plain LDAP).
struct TlsPortal {
  SlapdServer slapd;
  PortalFixture portal{slapd};
  std::string config = portal.dir().file("tls.yaml");

  explicit TlsPortal(bool policy = false) : slapd(with_tls(policy)) {
    if (policy && slapd.add(kPolicyEntry) != 0) throw std::runtime_error("ppolicy entry");
    write_tls_config(config, slapd.url(), "starttls");
    portal.seed_small_tree();
    auto sync = run({bin("portalsync"), "sync", "--once", "-c", config});
    if (!sync.ok()) throw std::runtime_error(sync.describe("sync"));
  }

  void write_tls_config(const std::string& path, const std::string& url,
                        const std::string& tls) const {
    write_file(path, "portal:\n  database: \"sqlite3://db=" + portal.database() +
                         "\"\ndirectory:\n  url: \"" + url + "\"\n  tls: " + tls +
                         "\n  ca_file: \"" + slapd.ca_file() + "\"\n  bind_dn: \"" +
                         slapd.admin_dn() + "\"\n  bind_password_file: \"" + slapd.password_file() +
                         "\"\n  base_dn: \"" + portal.base_dn() + "\"\n");
  }

  // portalsync ARGS -c CONFIG, with `input` on stdin (not a terminal: read as one line).
  RunResult cli(std::vector<std::string> args, const std::string& input = "",
                const std::string& with_config = "") const {
    args.insert(args.begin(), bin("portalsync"));
    args.insert(args.end(), {"-c", with_config.empty() ? config : with_config});
    return run(args, input);
  }

  RunResult set_password(const std::string& user, const std::string& password,
                         std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"password", "set", user};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args, password + "\n");
  }

  // ldapwhoami as dn with password, over StartTLS.
  RunResult whoami(const std::string& dn, const std::string& password) const {
    auto file = portal.dir().file("bind.pw");
    write_file(file, password, 0600);
    LdapClient client({slapd.url(), dn, file, slapd.ca_file(), true});
    return client.run_tool("ldapwhoami", "");
  }

  std::string attribute(const std::string& dn, const std::string& type) const {
    auto entry = slapd.admin_client().read(dn, {type});
    return entry ? entry->first(type) : "(" + entry.error() + ")";
  }

  std::string records(const std::string& where) const {
    return portal.query_one("SELECT count(*) FROM ps_changes WHERE " + where);
  }
};

// Every file of the portal database (the main file, its journal or WAL).
std::string database_bytes(const PortalFixture& portal) {
  std::string bytes;
  auto name = std::filesystem::path(portal.database()).filename().string();
  for (const auto& f : std::filesystem::directory_iterator(portal.dir().path()))
    if (f.path().filename().string().starts_with(name)) bytes += read_file(f.path().string());
  return bytes;
}

}  // namespace

TEST_CASE("a password set over StartTLS lets the user bind, and is recorded without itself",
          "[cli][password]") {
  TlsPortal t;
  CHECK_FALSE(t.whoami(kChenDn, kGood).ok());  // no password yet

  auto set = t.set_password("chen.yating", kGood);
  INFO(set.out << set.err);
  REQUIRE(set.exit_code == 0);
  CHECK_THAT(set.out, Contains("chen.yating: password set (" + kChenDn + ")"));
  auto bind = t.whoami(kChenDn, kGood);
  INFO(bind.err);
  CHECK(bind.ok());
  CHECK_THAT(bind.out, Contains("dn:uid=chen.yating,"));
  CHECK_FALSE(t.whoami(kChenDn, kOther).ok());
  CHECK(t.attribute(kChenDn, "userPassword").starts_with("{SSHA}"));  // slapd hashed it

  CHECK(t.records("operation = 'set_password' AND category = 'password' AND result = 'applied' "
                  "AND actor LIKE 'cli:%' AND subject_name = 'chen.yating' AND dn = '" +
                  kChenDn + "' AND after_json = '{\"must_change\":false}'") == "1");
  // Sealed into the hash chain (plain SHA-256 here: this configuration names no audit key).
  CHECK_THAT(t.cli({"audit", "verify"}).out, Contains("No damage found in "));
  auto log = t.cli({"audit", "query", "--account", "chen.yating", "--format", "json"});
  CHECK_THAT(log.out, Contains("set_password"));
  for (const auto& text : {set.out, set.err, log.out, database_bytes(t.portal)})
    CHECK(text.find(kGood) == std::string::npos);
}

TEST_CASE("a password is set over ldaps too", "[cli][password]") {
  TlsPortal t;
  auto ldaps = t.portal.dir().file("ldaps.yaml");
  t.write_tls_config(ldaps, t.slapd.ldaps_url(), "ldaps");
  auto set = t.cli({"password", "set", "lin.wei"}, kGood + "\n", ldaps);
  INFO(set.out << set.err);
  REQUIRE(set.exit_code == 0);
  CHECK(t.whoami("uid=lin.wei," + kCivil, kGood).ok());
}

TEST_CASE("a password that breaks the policy is refused, naming the rules, and nothing is sent",
          "[cli][password]") {
  TlsPortal t;
  REQUIRE(t.set_password("chen.yating", kGood).exit_code == 0);

  auto weak = t.set_password("chen.yating", "password1234");
  CHECK(weak.exit_code == 1);
  CHECK_THAT(weak.err, Contains("refused: the password breaks the policy"));
  CHECK_THAT(weak.err, Contains("nothing was sent"));
  CHECK_THAT(weak.err, Contains("min_classes: uses 2 of the 4 character classes"));
  CHECK_THAT(weak.err, Contains("max_run: contains a keyboard or alphabet run"));
  CHECK_THAT(weak.err, Contains("common_list: is on the list of common passwords"));
  CHECK_THAT(t.set_password("chen.yating", "P@ssw0rd2024!").err,
             Contains("common_list: is on the list of common passwords"));
  CHECK_THAT(t.set_password("chen.yating", "Xq7#Chen.Yating").err,
             Contains("forbid_username: contains the username"));
  auto short_one = t.set_password("chen.yating", "Yn7#Qp2!");
  CHECK_THAT(short_one.err, Contains("min_length: shorter than 12 characters"));
  CHECK(short_one.err.find("Yn7#Qp2!") == std::string::npos);

  CHECK(t.whoami(kChenDn, kGood).ok());  // the old password still works
  CHECK(t.records("operation = 'set_password'") == "1");
}

TEST_CASE("a password change over a plaintext connection is refused", "[cli][password]") {
  TlsPortal t;
  // The fixture's own configuration: tls none, allow_insecure.
  auto plain = t.cli({"password", "set", "chen.yating"}, kGood + "\n", t.portal.config());
  CHECK(plain.exit_code == 1);
  CHECK_THAT(plain.err, Contains("set password " + kChenDn + ": refused: the connection to " +
                                 t.slapd.url() + " is not encrypted"));
  CHECK(plain.err.find(kGood) == std::string::npos);
  CHECK_FALSE(t.whoami(kChenDn, kGood).ok());
  CHECK(t.attribute(kChenDn, "userPassword").empty());
  CHECK(t.records("operation = 'set_password' AND result = 'failed'") == "1");
}

TEST_CASE("a reset with --must-change sets pwdReset, a plain reset clears it", "[cli][password]") {
  TlsPortal t;
  auto set = t.set_password("chen.yating", kGood, {"--must-change"});
  INFO(set.err);
  REQUIRE(set.exit_code == 0);
  CHECK_THAT(set.out, Contains("to be changed at the next sign-in"));
  CHECK(t.attribute(kChenDn, "pwdReset") == "TRUE");
  CHECK(t.records("after_json = '{\"must_change\":true}'") == "1");
  REQUIRE(t.set_password("chen.yating", kOther).exit_code == 0);
  CHECK(t.attribute(kChenDn, "pwdReset").empty());
  CHECK(t.whoami(kChenDn, kOther).ok());
}

TEST_CASE("with pwdMustChange in the policy a --must-change user may only change the password",
          "[cli][password]") {
  TlsPortal t(true);
  REQUIRE(t.set_password("chen.yating", kGood, {"--must-change"}).exit_code == 0);
  auto file = t.portal.dir().file("chen.pw");
  write_file(file, kGood, 0600);
  LdapClient chen({t.slapd.url(), kChenDn, file, t.slapd.ca_file(), true});
  auto search = chen.search(kChenDn, "(objectClass=*)", {"uid"}, "base");
  REQUIRE_FALSE(search);
  INFO(search.error());
  auto change = chen.run_tool("ldappasswd", "", {"-s", kOther});
  INFO(change.err);
  CHECK(change.ok());
  CHECK(t.attribute(kChenDn, "pwdReset").empty());
}

TEST_CASE("unlock clears a ppolicy lockout but not the lock of a disabled or pending account",
          "[cli][password]") {
  TlsPortal t(true);
  REQUIRE(t.set_password("chen.yating", kGood).exit_code == 0);
  for (int i = 0; i < 3; ++i) CHECK_FALSE(t.whoami(kChenDn, kOther).ok());
  CHECK_FALSE(t.attribute(kChenDn, "pwdAccountLockedTime").empty());  // locked by ppolicy
  REQUIRE_FALSE(t.whoami(kChenDn, kGood).ok());
  auto unlock = t.cli({"unlock", "chen.yating"});
  INFO(unlock.out << unlock.err);
  REQUIRE(unlock.exit_code == 0);
  CHECK_THAT(unlock.out, Contains("chen.yating: unlocked (" + kChenDn + ")"));
  CHECK(t.attribute(kChenDn, "pwdAccountLockedTime").empty());
  CHECK(t.attribute(kChenDn, "pwdFailureTime").empty());  // the count starts again
  CHECK(t.whoami(kChenDn, kGood).ok());
  CHECK(t.records("operation = 'unlock' AND category = 'lockout' AND result = 'applied'") == "1");
  CHECK(t.cli({"unlock", "chen.yating"}).exit_code == 0);  // nothing left to clear

  auto disabled = t.cli({"unlock", "tsai.left"});
  CHECK(disabled.exit_code == 1);
  CHECK_THAT(disabled.err, Contains("refused: tsai.left is disabled in the portal"));
  // A pending account carries portalsync's permanent lock; the connector keeps it.
  const std::string pending =
      "uid=huang.pending,ou=教育局,ou=臺南市政府,ou=portal,dc=example,dc=org";
  auto held = t.cli({"unlock", "huang.pending"});
  CHECK(held.exit_code == 1);
  CHECK_THAT(held.err, Contains("unlock " + pending +
                                ": refused: pwdAccountLockedTime is "
                                "000001010000Z, portalsync's lock"));
  CHECK_THAT(held.err, Contains("does not enable accounts"));
  CHECK(t.attribute(pending, "pwdAccountLockedTime") == "000001010000Z");
}

TEST_CASE("password set refuses disabled, unknown and not yet synced accounts", "[cli][password]") {
  TlsPortal t;
  auto disabled = t.set_password("tsai.left", kGood);
  CHECK(disabled.exit_code == 1);
  CHECK_THAT(disabled.err, Contains("refused: tsai.left is disabled in the portal"));
  CHECK_THAT(t.set_password("nobody", kGood).err,
             Contains("refused: no account named \"nobody\" in the portal"));
  t.portal.exec(
      "INSERT INTO accounts(id, username, display_name, surname, given_name, org_unit_id, role, "
      "status) VALUES (6, 'new.comer', '新同仁', '新', '同仁', 4, 'user', 'enabled')");
  CHECK_THAT(t.set_password("new.comer", kGood).err,
             Contains("new.comer is not in the directory yet; run a sync first"));
  CHECK(t.records("operation = 'set_password'") == "0");
}

TEST_CASE("password and unlock explain themselves", "[cli][password]") {
  auto help = run({bin("portalsync"), "password", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("usage: portalsync password set USERNAME"));
  CHECK_THAT(help.out, Contains("never from the command line or the environment"));
  CHECK_THAT(run({bin("portalsync"), "unlock", "--help"}).out,
             Contains("usage: portalsync unlock USERNAME"));
  auto wrong = run({bin("portalsync"), "password", "chen.yating", "secret"});
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.err, Contains("usage: portalsync password set"));
  CHECK_THAT(run({bin("portalsync"), "--help"}).out, Contains("password set USERNAME"));
}

// ppolicy drops pwdAccountLockedTime whenever a password changes; the first password of an
// account applied for must not let it sign in before the portal enables it.
TEST_CASE("a password set on a pending or locked account keeps it locked until enabled",
          "[cli][password][lock]") {
  TlsPortal t;
  const std::string pending =
      "uid=huang.pending,ou=教育局,ou=臺南市政府,ou=portal,dc=example,dc=org";
  auto set = t.set_password("huang.pending", kGood);
  INFO(set.out << set.err);
  REQUIRE(set.exit_code == 0);
  CHECK(t.attribute(pending, "pwdAccountLockedTime") == "000001010000Z");
  CHECK_FALSE(t.whoami(pending, kGood).ok());

  t.portal.exec("UPDATE accounts SET locked = 1 WHERE username = 'chen.yating'");
  REQUIRE(t.cli({"sync", "--once"}).exit_code == 0);
  REQUIRE(t.set_password("chen.yating", kGood).exit_code == 0);
  CHECK_FALSE(t.whoami(kChenDn, kGood).ok());

  t.portal.exec("UPDATE accounts SET status = 'enabled', locked = 0");
  auto sync = t.cli({"sync", "--once"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK(t.whoami(pending, kGood).ok());
  CHECK(t.whoami(kChenDn, kGood).ok());
}
