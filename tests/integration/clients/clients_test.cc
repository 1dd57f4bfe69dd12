// The directory as other systems read it, proven with the real programs: a Linux host through
// SSSD (id_provider = ldap, rfc2307bis, groupOfNames) or nslcd, and a web application behind Apache
// mod_authnz_ldap, both configured as docs/clients.md says (a read-only service account,
// StartTLS), against a slapd portalsync synced with directory.posix (and its primary group entry).
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/apache_server.h"
#include "tests/support/ldif.h"
#include "tests/support/nslcd_host.h"
#include "tests/support/portal_fixture.h"
#include "tests/support/sssd_host.h"

using namespace ps::testing;

namespace {

const std::string kSuffix = "dc=example,dc=org";
const std::string kBase = "ou=portal," + kSuffix;
const std::string kGroups = "ou=groups," + kBase;
const std::string kCity = "ou=臺南市政府," + kBase;
const std::string kChen = "uid=chen.yating,ou=戶政科,ou=民政局," + kCity;
const std::string kLin = "uid=lin.wei,ou=戶政科,ou=民政局," + kCity;
const std::string kTsai = "uid=tsai.left,ou=教育局," + kCity;
const std::string kReader = "cn=reader," + kSuffix;
const std::string kReaderPassword = "Reader-pw-2026";
const std::string kPassword = "Portal-pw-2026";

SlapdOptions with_tls() {
  SlapdOptions o;
  o.tls = true;
  return o;
}

// The small Tainan tree synced with POSIX identities: sys-edoc granted to 民政局 (陳雅婷, 林威,
// 王小明), sys-hr to 林威 alone, sys-empty to nobody; 蔡離職 disabled; everyone's primary group
// the portal-users entry portalsync keeps (gidNumber 79999). Everyone who has an entry
// has a password, set by the administrator (the sync after it puts the disabled account's lock
// back, which a password change drops).
struct ClientsWorld {
  SlapdServer slapd{with_tls()};
  PortalFixture portal{slapd, "  groups_dn: \"" + kGroups +
                                  "\"\n  posix:\n    uid_min: 70000\n    gid_min: 80000\n"
                                  "    primary_gid: 79999\n    primary_group: portal-users\n"};

  ClientsWorld() {
    REQUIRE(slapd.add("dn: " + kReader +
                      "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
                      "cn: reader\nuserPassword: " +
                      kReaderPassword + "\n") == 0);
    portal.seed_small_tree();
    portal.exec(
        "INSERT INTO systems(id, code, name, group_name) VALUES (1, 'edoc', '公文系統', "
        "'sys-edoc'), (2, 'hr', '人事服務網', 'sys-hr'), (3, 'none', '無人系統', 'sys-empty');"
        "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (2, 1);"
        "INSERT INTO account_systems(account_id, system_id) VALUES (2, 2);");
    sync();
    std::string ldif;
    for (const auto& dn : {kChen, kLin, kTsai})
      ldif += ldif_line("dn", dn) +
              "changetype: modify\nreplace: userPassword\nuserPassword: " + kPassword + "\n\n";
    REQUIRE(slapd.modify(ldif) == 0);
    sync();
  }

  void sync() const {
    auto r = portal.portalsync({"sync", "--once"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
  }

  std::string uid_number(const std::string& username) const {
    return portal.query_one(
        "SELECT number FROM ps_posix_ids WHERE kind = 'account' AND portal_id = (SELECT id FROM "
        "accounts WHERE username = '" +
        username + "')");
  }
};

// What a sysadmin puts in sssd.conf's domain section (docs/clients.md).
std::string sssd_domain(const SlapdServer& slapd) {
  return "id_provider = ldap\nauth_provider = ldap\nldap_uri = " + slapd.url() +
         "\nldap_id_use_start_tls = true\nldap_tls_reqcert = demand\nldap_tls_cacert = " +
         slapd.ca_file() + "\nldap_search_base = " + kBase + "\nldap_default_bind_dn = " + kReader +
         "\nldap_default_authtok = " + kReaderPassword +
         "\nldap_schema = rfc2307bis\nldap_group_object_class = groupOfNames\n"
         "ldap_group_member = member\ncache_credentials = false\nentry_cache_timeout = 1\n"
         "offline_timeout = 1\n";
}

// A sign-in the host must admit. On a loaded machine SSSD's first LDAP connection can time out,
// and the domain then refuses sign-ins as offline until it retries (offline_timeout above).
RunResult admitted_eventually(const SssdHost& host, const std::string& user) {
  RunResult last;
  for (int tries = 0; tries < 30; ++tries) {
    last = host.login(user, kPassword);
    if (last.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return last;
}

// `id USER` until it lists `group` or not (`wanted`), SSSD's entry cache expiring meanwhile.
bool id_lists_eventually(const SssdHost& host, const std::string& user, const std::string& group,
                         bool wanted) {
  for (int tries = 0; tries < 100; ++tries) {
    auto id = host.run({"id", user});
    if ((id.out.find("(" + group + ")") != std::string::npos) == wanted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_CASE("a Linux host lists and signs in portal users through SSSD, with stable numbers",
          "[clients][sssd]") {
  ClientsWorld w;
  SssdHost host(sssd_domain(w.slapd), "chen.yating");
  auto uid = w.uid_number("chen.yating");
  REQUIRE(uid.rfind("700", 0) == 0);  // from directory.posix.uid_min

  auto passwd = host.run({"getent", "-s", "sss", "passwd", "chen.yating"});
  INFO(host.log());
  CHECK(passwd.out == "chen.yating:*:" + uid + ":79999:陳雅婷:/home/chen.yating:/bin/bash\n");
  CHECK(w.portal.plan_is_empty());  // the primary group converged with the rest
  auto groups = host.run({"getent", "-s", "sss", "group", "sys-edoc", "sys-hr", "sys-empty"});
  CHECK_THAT(groups.out, Catch::Contains("sys-edoc:*:8000") && Catch::Contains("chen.yating") &&
                             Catch::Contains("wang.xm"));
  CHECK_THAT(groups.out, Catch::Contains(":lin.wei\n"));  // sys-hr: lin.wei alone
  // The empty group holds its own DN as placeholder, which SSSD reads as no member at all.
  CHECK_THAT(groups.out, Catch::Contains("sys-empty:*:8000") && Catch::EndsWith(":\n"));
  auto id = host.run({"id", "lin.wei"});
  // The primary group by name, from the directory (the host's own files do not have 79999).
  CHECK_THAT(id.out, Catch::Contains("gid=79999(portal-users)") && Catch::Contains("(sys-edoc)") &&
                         Catch::Contains("(sys-hr)"));
  CHECK(host.run({"getent", "-s", "sss", "group", "portal-users"}).out ==
        "portal-users:*:79999:\n");

  auto admitted = admitted_eventually(host, "chen.yating");
  INFO(admitted.out << admitted.err << host.log());
  CHECK(admitted.ok());
  CHECK_FALSE(host.login("chen.yating", "wrong-password").ok());
  auto disabled = host.login("tsai.left", kPassword);  // the right password, a disabled account
  CHECK_FALSE(disabled.ok());

  // A transfer out of 民政局: SSSD reads the move (sys-edoc is gone), the number stays.
  w.portal.exec("UPDATE accounts SET org_unit_id = 4 WHERE username = 'chen.yating'");
  w.sync();
  CHECK(id_lists_eventually(host, "chen.yating", "sys-edoc", false));
  CHECK_THAT(host.run({"id", "-u", "chen.yating"}).out, Catch::Equals(uid + "\n"));
  CHECK(w.uid_number("chen.yating") == uid);
  CHECK(admitted_eventually(host, "chen.yating").ok());
}

// What a sysadmin puts in /etc/nslcd.conf (docs/clients.md); nslcd stays root here (no uid/gid
// lines), so it reads the test's CA file.
std::string nslcd_conf(const SlapdServer& slapd) {
  return "uri " + slapd.url() + "\nssl start_tls\ntls_reqcert demand\ntls_cacertfile " +
         slapd.ca_file() + "\nbase " + kBase + "\nbinddn " + kReader + "\nbindpw " +
         kReaderPassword +
         "\nfilter passwd (objectClass=posixAccount)\n"
         "filter group (&(objectClass=groupOfNames)(gidNumber=*))\nmap group member member\n";
}

TEST_CASE("a Linux host lists portal users and groups through nslcd", "[clients][nslcd]") {
  ClientsWorld w;
  NslcdHost host(nslcd_conf(w.slapd), "chen.yating");
  auto uid = w.uid_number("chen.yating");
  auto passwd = host.run({"getent", "-s", "ldap", "passwd", "chen.yating"});
  INFO(host.log());
  CHECK(passwd.out == "chen.yating:*:" + uid + ":79999:陳雅婷:/home/chen.yating:/bin/bash\n");
  auto edoc = host.run({"getent", "-s", "ldap", "group", "sys-edoc"}).out;
  CHECK_THAT(edoc, Catch::StartsWith("sys-edoc:*:8000") && Catch::Contains("chen.yating") &&
                       Catch::Contains("lin.wei") && Catch::Contains("wang.xm"));
  CHECK_THAT(host.run({"getent", "-s", "ldap", "group", "sys-hr"}).out,
             Catch::EndsWith(":lin.wei\n"));
  // The empty group's own-DN placeholder names no user.
  CHECK_THAT(host.run({"getent", "-s", "ldap", "group", "sys-empty"}).out,
             Catch::StartsWith("sys-empty:*:8000") && Catch::EndsWith(":\n"));
  CHECK(host.run({"getent", "-s", "ldap", "group", "portal-users"}).out ==
        "portal-users:*:79999:\n");
  auto id = host.run({"id", "lin.wei"}).out;
  CHECK_THAT(id, Catch::Contains("gid=79999(portal-users)") && Catch::Contains("(sys-edoc)") &&
                     Catch::Contains("(sys-hr)"));
}

TEST_CASE("Apache mod_authnz_ldap admits exactly the enabled members of a group",
          "[clients][apache]") {
  ClientsWorld w;
  // StartTLS to slapd with its CA; the reader account; membership by member DN.
  ApacheServer apache(w.slapd.ca_file(),
                      "AuthType Basic\nAuthName portal\nAuthBasicProvider ldap\nAuthLDAPURL \"" +
                          w.slapd.url() + "/" + kBase +
                          "?uid?sub?(objectClass=inetOrgPerson)\" STARTTLS\nAuthLDAPBindDN " +
                          kReader + "\nAuthLDAPBindPassword " + kReaderPassword +
                          "\nRequire ldap-group cn=sys-hr," + kGroups);
  int member = apache.get_status("lin.wei", kPassword);
  int wrong = apache.get_status("lin.wei", "wrong-password");
  int outsider = apache.get_status("chen.yating", kPassword);  // signs in, not in sys-hr
  int disabled = apache.get_status("tsai.left", kPassword);    // the bind is refused
  int unknown = apache.get_status("nobody", kPassword);
  INFO(apache.error_log());
  CHECK(member == 200);
  CHECK(wrong == 401);
  CHECK(outsider == 401);
  CHECK(disabled == 401);
  CHECK(unknown == 401);
}
