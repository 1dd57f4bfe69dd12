// Writing: adds with Chinese values and hostile DN characters (checked through the connector and
// through ldapsearch), the post-read anchor, modify, rename and move, delete, failures that spare
// the other outstanding operations, pipelining, the ppolicy lock attribute, a lost connection.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "ldap_test_helpers.h"

using namespace ldap_test;
using Catch::Contains;
using ps::testing::SlapdServer;
using Kind = ps::Modification::Kind;

namespace {

const std::string kHostileUnit = " 教育局, 第一科 + \"測試\" \\ <x> ; = #1 ";
const std::string kHostileName = "#王, 小明+<主任>;";

// Everything ldapsearch shows below the suffix, by normalized DN.
std::map<std::string, ps::testing::LdifEntry> client_view(const SlapdServer& slapd) {
  auto found = slapd.admin_client().search(slapd.suffix(), "(objectClass=*)", {"*", "entryUUID"});
  REQUIRE_OK(found);
  std::map<std::string, ps::testing::LdifEntry> by_dn;
  for (auto& e : found.value()) by_dn[ps::normalize_dn(e.dn)] = e;
  return by_dn;
}

}  // namespace

TEST_CASE("adds with Chinese values and hostile DNs read back exactly", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  auto unit = add_ou(slapd.suffix(), kHostileUnit);
  auto leading_hash = add_ou(unit.dn, "#二科");
  std::string person_dn = ps::join_dn(ps::make_rdn("cn", kHostileName), unit.dn);
  auto person = add_person(person_dn, "wang.xm", kHostileName, "王");
  person.mods.push_back(value("displayName", {"王小明（主任）"}));
  person.mods.push_back(value("title", {"科長 "}));  // a trailing space is part of the value
  person.mods.push_back(value("telephoneNumber", {"06-2991111", "+886 6 2991111"}));

  std::map<std::string, std::string> anchors;
  for (const auto* op : {&unit, &leading_hash, &person}) {
    auto done = run_one(*connector, *op);
    REQUIRE(done.outcome.message == "");
    CHECK(done.outcome.ok);
    CHECK_FALSE(done.outcome.anchor.empty());
    anchors[ps::normalize_dn(op->dn)] = done.outcome.anchor;
  }

  auto seen = client_view(slapd);  // the real client's view
  REQUIRE(seen.count(ps::normalize_dn(person_dn)));
  const auto& p = seen[ps::normalize_dn(person_dn)];
  CHECK(p.first("cn") == kHostileName);
  CHECK(p.first("displayName") == "王小明（主任）");
  CHECK(p.first("title") == "科長 ");
  CHECK(*p.find("telephonenumber") == std::vector<std::string>{"06-2991111", "+886 6 2991111"});
  CHECK(seen[ps::normalize_dn(unit.dn)].first("ou") == kHostileUnit);
  CHECK(seen[ps::normalize_dn(leading_hash.dn)].first("ou") == "#二科");
  for (const auto& [dn, anchor] : anchors) CHECK(seen[dn].first("entryUUID") == anchor);

  auto read = connector->read_subtree({slapd.suffix(), {"cn", "ou", "title"}});
  REQUIRE_OK(read);
  REQUIRE(read->entries.size() == 3);
  const auto* q = find_dn(read->entries, person_dn);
  REQUIRE(q);
  CHECK(q->find("cn")->front() == kHostileName);
  CHECK(q->find("title")->front() == "科長 ");
  CHECK(q->anchor() == anchors[ps::normalize_dn(person_dn)]);
}

TEST_CASE("modify replaces, adds and deletes values and whole attributes", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  std::string dn = "uid=lin.wei," + slapd.suffix();
  auto person = add_person(dn, "lin.wei", "林威", "林");
  person.mods.push_back(value("title", {"科長"}));
  person.mods.push_back(value("mail", {"a@example.org", "b@example.org"}));
  REQUIRE(run_one(*connector, person).outcome.ok);

  auto done = run_one(
      *connector, change(OpType::modify, dn,
                         {mod(Kind::replace, "displayName", {"林威（新）"}),
                          mod(Kind::remove, "title"), mod(Kind::remove, "mail", {"a@example.org"}),
                          mod(Kind::add, "mobile", {"0912-345678"})}));
  CHECK(done.outcome.ok);
  CHECK(done.outcome.message.empty());
  auto entry = slapd.admin_client().read(dn);
  REQUIRE_OK(entry);
  CHECK(entry->first("displayName") == "林威（新）");
  CHECK_FALSE(entry->has("title"));
  CHECK(*entry->find("mail") == std::vector<std::string>{"b@example.org"});
  CHECK(entry->first("mobile") == "0912-345678");

  // Replacing with no values removes the attribute, and is fine when it is already gone.
  CHECK(run_one(*connector, change(OpType::modify, dn, {mod(Kind::replace, "mobile")})).outcome.ok);
  CHECK(run_one(*connector, change(OpType::modify, dn, {mod(Kind::replace, "mobile")})).outcome.ok);
  CHECK_FALSE(slapd.admin_client().read(dn)->has("mobile"));
}

TEST_CASE("rename and move keep the entryUUID, delete removes the entry", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  auto from = add_ou(slapd.suffix(), "民政局");
  auto to = add_ou(slapd.suffix(), kHostileUnit);
  std::string dn = ps::join_dn(ps::make_rdn("cn", "王小明"), from.dn);
  REQUIRE(run_one(*connector, from).outcome.ok);
  REQUIRE(run_one(*connector, to).outcome.ok);
  std::string uuid = run_one(*connector, add_person(dn, "wang.xm", "王小明", "王")).outcome.anchor;
  REQUIRE_FALSE(uuid.empty());

  Operation rename;
  rename.type = OpType::rename;
  rename.dn = dn;
  std::string new_rdn = ps::make_rdn("cn", kHostileName);
  rename.set_target({new_rdn, "", ps::join_dn(new_rdn, from.dn)});
  REQUIRE(run_one(*connector, rename).outcome.ok);
  auto renamed = slapd.admin_client().read(rename.new_dn(), {"cn", "entryUUID"});
  REQUIRE_OK(renamed);
  CHECK(renamed->first("entryUUID") == uuid);
  CHECK(*renamed->find("cn") == std::vector<std::string>{kHostileName});  // old RDN value gone

  Operation move;
  move.type = OpType::move;
  move.dn = rename.new_dn();
  move.set_target({new_rdn, to.dn, ps::join_dn(new_rdn, to.dn)});
  REQUIRE(run_one(*connector, move).outcome.ok);
  auto moved = slapd.admin_client().read(move.new_dn(), {"entryUUID"});
  REQUIRE_OK(moved);
  CHECK(moved->first("entryUUID") == uuid);
  CHECK_FALSE(slapd.admin_client().read(rename.new_dn()));

  Operation remove;
  remove.type = OpType::remove;
  remove.dn = move.new_dn();
  REQUIRE(run_one(*connector, remove).outcome.ok);
  auto gone = slapd.admin_client().read(move.new_dn());
  REQUIRE_FALSE(gone);
  CHECK_THAT(gone.error(), Contains("No such object"));
  auto read = connector->read_subtree({to.dn, {"cn"}});
  REQUIRE_OK(read);
  CHECK(read->entries.empty());
}

TEST_CASE("a failed operation names the DN and the reason and spares the others", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  std::string orphan = "ou=x,ou=nowhere," + slapd.suffix();
  std::string no_sn = "uid=nosn," + slapd.suffix();
  auto incomplete = add(no_sn, {value("objectClass", {"inetOrgPerson"}), value("uid", {"nosn"}),
                                value("cn", {"缺姓"})});
  REQUIRE_OK(connector->submit(1, add_ou(slapd.suffix(), "甲")));
  REQUIRE_OK(connector->submit(2, add_ou("ou=nowhere," + slapd.suffix(), "x")));
  REQUIRE_OK(connector->submit(3, incomplete));
  REQUIRE_OK(connector->submit(4, add_ou(slapd.suffix(), "乙")));
  REQUIRE_OK(connector->submit(5, change(OpType::modify, "ou=乙," + slapd.suffix(), {})));
  CHECK(connector->outstanding() == 5);

  std::map<std::uint64_t, ps::OpOutcome> outcomes;
  for (int i = 0; i < 5; ++i) {
    auto done = connector->wait_completion();
    REQUIRE_OK(done);
    outcomes[done->ticket] = done->outcome;
  }
  CHECK(outcomes[1].ok);
  CHECK(outcomes[4].ok);
  CHECK_FALSE(outcomes[2].ok);
  CHECK(outcomes[2].message == "add " + orphan + ": No such object");
  CHECK_FALSE(outcomes[3].ok);
  CHECK_THAT(outcomes[3].message, Contains("add " + no_sn +
                                           ": Object class violation: object class 'inetOrgPerson' "
                                           "requires attribute 'sn'"));
  CHECK_FALSE(outcomes[5].ok);  // an empty modify is refused without being sent
  CHECK(outcomes[5].message == "modify ou=乙,dc=example,dc=org: no changes");
  CHECK(connector->outstanding() == 0);
  auto nothing_left = connector->wait_completion();
  REQUIRE_FALSE(nothing_left);
  CHECK_THAT(nothing_left.error(), Contains("no operation outstanding"));
}

TEST_CASE("32 pipelined adds all complete with their own anchors", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  for (std::uint64_t t = 100; t < 132; ++t)
    REQUIRE_OK(connector->submit(t, add_ou(slapd.suffix(), "單位" + std::to_string(t))));
  CHECK(connector->outstanding() == 32);
  std::set<std::uint64_t> tickets;
  std::map<std::string, std::string> anchor_by_unit;
  for (int i = 0; i < 32; ++i) {
    auto done = connector->wait_completion();
    REQUIRE_OK(done);
    CHECK(done->outcome.ok);
    tickets.insert(done->ticket);
    anchor_by_unit["單位" + std::to_string(done->ticket)] = done->outcome.anchor;
  }
  CHECK(tickets.size() == 32);
  CHECK(*tickets.begin() == 100);
  CHECK(*tickets.rbegin() == 131);
  for (const auto& e : slapd.search(slapd.suffix(), "(ou=*)"))
    CHECK(e.first("entryUUID") == anchor_by_unit[e.first("ou")]);
}

TEST_CASE("the ppolicy lock attribute can be set and cleared as the rootdn", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  std::string dn = "uid=tsai," + slapd.suffix();
  REQUIRE(run_one(*connector, add_person(dn, "tsai", "蔡離職", "蔡")).outcome.ok);

  auto lock = run_one(
      *connector,
      change(OpType::disable, dn, {mod(Kind::replace, "pwdAccountLockedTime", {"000001010000Z"})}));
  REQUIRE(lock.outcome.message == "");
  auto read = connector->read_subtree({slapd.suffix(), {"uid", "pwdAccountLockedTime"}});
  REQUIRE_OK(read);
  REQUIRE(read->entries.size() == 1);
  REQUIRE(read->entries[0].find("pwdaccountlockedtime"));
  CHECK(read->entries[0].find("pwdaccountlockedtime")->front() == "000001010000Z");
  // An operational attribute: only there when asked for by name.
  CHECK(!slapd.admin_client().read(dn)->find("pwdaccountlockedtime"));
  CHECK(slapd.admin_client().read(dn, {"pwdAccountLockedTime"})->first("pwdAccountLockedTime") ==
        "000001010000Z");

  auto unlock =
      run_one(*connector, change(OpType::enable, dn, {mod(Kind::remove, "pwdAccountLockedTime")}));
  REQUIRE(unlock.outcome.message == "");
  CHECK_FALSE(slapd.admin_client().read(dn, {"pwdAccountLockedTime"})->has("pwdaccountlockedtime"));
}

TEST_CASE("a lost connection fails with the number of outstanding operations", "[ldap][write]") {
  SlapdServer slapd;
  auto connector = connect(admin_settings(slapd));
  REQUIRE(run_one(*connector, add_ou(slapd.suffix(), "before")).outcome.ok);
  slapd.stop();

  // The request may still leave (the socket is only found dead on the next read), so the
  // failure comes from submit or from wait_completion.
  auto sent = connector->submit(1, add_ou(slapd.suffix(), "lost"));
  std::string failure = sent ? connector->wait_completion().status().message() : sent.message();
  CHECK_THAT(failure, Contains("connection to " + slapd.url() + " lost with"));
  if (sent) CHECK_THAT(failure, Contains("with 1 operation outstanding (outcome unknown)"));
  CHECK_FALSE(connector->submit(2, add_ou(slapd.suffix(), "after")));  // fails fast from now on
  auto read = connector->read_subtree({slapd.suffix(), {"ou"}});
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error(), Contains("read dc=example,dc=org from " + slapd.url()));

  slapd.start();  // same port and data: a new connection sees what was written before
  auto again = connect(admin_settings(slapd))->read_subtree({slapd.suffix(), {"ou"}});
  REQUIRE_OK(again);
  REQUIRE(again->entries.size() == 1);
  CHECK(again->entries[0].find("ou")->front() == "before");
}
