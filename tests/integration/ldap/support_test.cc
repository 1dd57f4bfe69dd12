// The test harness itself (tests/support): LDIF parsing as ldapsearch prints it, child processes,
// temp dirs, and the throwaway slapd's stop/start and offline loading.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <thread>

#include "tests/support/ldif.h"
#include "tests/support/process.h"
#include "tests/support/require_ok.h"
#include "tests/support/slapd_server.h"
#include "tests/support/temp_dir.h"

using namespace ps::testing;

TEST_CASE("LDIF from ldapsearch: base64 DNs and values, folded lines, comments", "[support]") {
  auto entries = parse_ldif(
      "# extended LDIF\nversion: 1\n\n"
      "dn:: " +
      base64_encode("ou=教育局,dc=example,dc=org") +
      "\n"
      "objectClass: organizationalUnit\nOU:: " +
      base64_encode(" 教育局 ") +
      "\n"
      "description: folded\n  line\n\n"
      "dn: ou=b,dc=example,dc=org\nou: b\nou: c\n");
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].dn == "ou=教育局,dc=example,dc=org");
  CHECK(entries[0].first("ou") == " 教育局 ");
  CHECK(entries[0].first("description") == "folded line");
  CHECK(entries[0].has("objectclass"));
  CHECK(*entries[1].find("OU") == std::vector<std::string>{"b", "c"});
  CHECK(entries[1].first("missing").empty());
  CHECK_THROWS(parse_ldif("ou: no dn first\n"));
}

TEST_CASE("LDIF lines base64-encode what is not a safe string", "[support]") {
  CHECK(ldif_line("ou", "plain") == "ou: plain\n");
  CHECK(ldif_line("ou", "教育局") == "ou:: " + base64_encode("教育局") + "\n");
  CHECK(ldif_line("ou", " lead") == "ou:: IGxlYWQ=\n");
  CHECK(ldif_line("ou", ":colon") == "ou:: OmNvbG9u\n");
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", "line\nbreak",
                                                std::string("\0\xff", 2)})
    CHECK(base64_decode(base64_encode(s)) == s);
}

TEST_CASE("run captures output and exit status, feeds stdin and enforces the timeout",
          "[support]") {
  auto cat = run({"cat"}, "教育局\n");
  CHECK(cat.ok());
  CHECK(cat.out == "教育局\n");
  auto failing = run({"sh", "-c", "echo oops >&2; exit 3"});
  CHECK(failing.exit_code == 3);
  CHECK(failing.describe("sh") == "sh: exit 3: oops");
  auto env = run({"sh", "-c", "echo $PS_TEST_VALUE"}, "", 10, {{"PS_TEST_VALUE", "x y"}});
  CHECK(env.out == "x y\n");
  auto slow = run({"sleep", "10"}, "", 1);
  CHECK(slow.timed_out);
  CHECK(slow.exit_code == -1);
  CHECK_THROWS(run({"no-such-program-here"}));
}

TEST_CASE("spawn and stop a background child by pid", "[support]") {
  TempDir dir;
  pid_t pid = spawn({"sh", "-c", "echo started; exec sleep 30"}, dir.file("child.log"));
  for (int i = 0; i < 500 && read_file(dir.file("child.log")).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(read_file(dir.file("child.log")) == "started\n");
  CHECK_FALSE(has_exited(pid));
  CHECK(stop(pid, SIGTERM, 5) == -SIGTERM);
  CHECK(has_exited(pid));
}

TEST_CASE("a temp dir is removed with its contents", "[support]") {
  std::string path;
  {
    TempDir dir("ps-support");
    path = dir.path();
    write_file(dir.file("secret"), "x", 0600);
    auto permissions = std::filesystem::status(dir.file("secret")).permissions();
    CHECK((permissions & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("slapd keeps its data and port across stop and start, and loads LDIF offline",
          "[support][slapd]") {
  SlapdServer slapd;
  CHECK(read_file(slapd.password_file()) == slapd.admin_password());
  CHECK(slapd.add("dn: ou=a,dc=example,dc=org\nobjectClass: organizationalUnit\nou: a\n") == 0);
  std::string url = slapd.url();
  slapd.stop();
  CHECK_FALSE(slapd.running());
  CHECK_FALSE(slapd.admin_client().search(slapd.suffix()));
  slapd.start();
  CHECK(slapd.url() == url);
  CHECK(slapd.search(slapd.suffix(), "(ou=a)").size() == 1);
  CHECK(slapd.search("ou=missing,dc=example,dc=org").empty());

  slapd.load_offline("dn: ou=b,dc=example,dc=org\nobjectClass: organizationalUnit\nou: b\n");
  CHECK(slapd.running());
  CHECK(slapd.search(slapd.suffix(), "(ou=*)", {"ou"}).size() == 2);
}
