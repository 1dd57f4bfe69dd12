// Scoped runs (core/plan_scope.h, SyncEngine::sync_changes): only the objects a change touched
// are read and planned, the result is what a full run would have written for them, and what
// lies outside the scope (drift, hand-made entries) is left to the full reconcile.
#include <catch2/catch.hpp>

#include <atomic>

#include "core/plan_scope.h"
#include "core/selective_read.h"
#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

const std::string kGroups = "ou=groups," + kBase;

// Counts how the engine read the directory.
class CountingDirectory : public DirectoryConnectorWrapper {
 public:
  using DirectoryConnectorWrapper::DirectoryConnectorWrapper;
  int full_reads = 0, selective_reads = 0;
  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override {
    ++full_reads;
    return target().read_subtree(spec);
  }
  Result<DirectoryReadResult> read_selected(const SelectiveReadSpec& spec) override {
    ++selective_reads;
    return target().read_selected(spec);
  }
};

struct ScopedWorld : World {
  CountingDirectory counted{dir};

  ScopedWorld() {
    store.portal = tainan();
    options.mapping.groups_dn = kGroups;
    options.run_idle_rule = false;  // as in portalsyncd's journal runs: a partial snapshot will do
    store.portal.systems = {{1, "edoc", "公文系統", "sys-edoc"}, {2, "hr", "人事服務網", "sys-hr"}};
    store.portal.unit_systems = {{2, 1}};      // 民政局 and every unit below it
    store.portal.account_systems = {{11, 2}};  // lin.wei directly
    SharedAccount s;
    s.id = 1;
    s.username = "civil.box";
    s.kind = "mail";
    s.display_name = "民政局信箱";
    s.org_unit_id = 2;
    s.custodian_id = 10;
    store.portal.shared_accounts = {s};
    sync();
  }

  SyncReport sync_changes(AffectedObjects changes) {
    SyncEngine engine(store, counted, clock, log, options);
    auto r = engine.sync_changes(changes);
    REQUIRE(r);
    return std::move(r.value());
  }

  std::vector<std::string> members(const std::string& group) const {
    const auto* e = dir.get("cn=" + group + "," + kGroups);
    if (!e || !e->find("member")) return {};
    auto m = e->find("member")->strings();
    std::sort(m.begin(), m.end());
    return m;
  }
};

AffectedObjects accounts(std::set<RowId> ids) {
  AffectedObjects a;
  a.accounts = std::move(ids);
  return a;
}

}  // namespace

TEST_CASE("a scoped run writes the changed accounts and leaves drift elsewhere alone",
          "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[0].set_display_name("陳雅婷二");
  w.store.portal.accounts[1].org_unit_id = 4;  // lin.wei to 戶政科
  // Drift on an account outside the scope: a scoped run must not even see it.
  auto& wang = w.dir.entries[normalize_dn("uid=wang.pending," + kCivilDn)];
  wang.add_attribute("title", {"hand-made"});

  auto report = w.sync_changes(accounts({10, 11}));
  CHECK(report.full_because.empty());
  CHECK(report.scope == 3);  // and the shared account 陳雅婷 answers for
  CHECK(w.store.partial_loads == 1);
  CHECK(w.counted.selective_reads == 1);
  CHECK(w.counted.full_reads == 0);
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "displayName") == "陳雅婷二");
  CHECK(w.dir.get("uid=lin.wei," + kHouseholdDn));
  CHECK(w.members("sys-edoc") ==
        std::vector<std::string>{"uid=chen.yating," + kHouseholdDn, "uid=lin.wei," + kHouseholdDn});
  CHECK(w.members("sys-hr") == std::vector<std::string>{"uid=lin.wei," + kHouseholdDn});

  auto full = w.plan();  // only the drift is left
  REQUIRE(full.operations.size() == 1);
  CHECK(full.operations[0].dn == "uid=wang.pending," + kCivilDn);
}

TEST_CASE("a scoped run changes only the scope's group memberships", "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[2].set_status("enabled");   // 王小明 joins sys-edoc
  w.store.portal.accounts[1].set_status("disabled");  // lin.wei leaves sys-hr, which empties
  auto report = w.sync_changes(accounts({11, 12}));
  CHECK(report.scope == 2);
  CHECK(report.applied.failed == 0);
  CHECK(w.members("sys-edoc") == std::vector<std::string>{"uid=chen.yating," + kHouseholdDn,
                                                          "uid=wang.pending," + kCivilDn});
  // A groupOfNames may not be empty: sys-hr was read whole and its last member gives way to the
  // placeholder in the same modify.
  CHECK(w.members("sys-hr") == std::vector<std::string>{"cn=sys-hr," + kGroups});
  CHECK(w.counted.selective_reads == 2);
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a scoped run removes a deleted account's entry and keeps entries it did not read",
          "[engine][scoped]") {
  ScopedWorld w;
  w.dir.put("uid=hand.made," + kCivilDn, {"top", "person", "organizationalPerson", "inetOrgPerson"},
            {{"uid", "hand.made"}, {"cn", "手動"}, {"sn", "手"}});
  w.store.portal.accounts.pop_back();  // 王小明's row is gone
  auto report = w.sync_changes(accounts({12}));
  CHECK(report.full_because.empty());
  REQUIRE(report.plan.count(OpType::remove) == 1);
  CHECK_FALSE(w.dir.get("uid=wang.pending," + kCivilDn));
  CHECK(w.dir.get("uid=hand.made," + kCivilDn));
  CHECK(std::none_of(w.store.links.begin(), w.store.links.end(), [](const IdentityLink& l) {
    return l.kind == ObjectKind::account && l.portal_id == 12;
  }));
}

TEST_CASE("a scoped run of a custodian's transfer updates the shared account's manager",
          "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[0].org_unit_id = 3;  // 陳雅婷 to 教育局
  auto report = w.sync_changes(accounts({10}));
  CHECK(report.applied.failed == 0);
  CHECK(w.dir.value("uid=civil.box," + kCivilDn, "manager") == "uid=chen.yating," + kEducationDn);
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a new account and an adopted hand-made one are planned in scope", "[engine][scoped]") {
  ScopedWorld w;
  w.dir.put("uid=hand.made," + kCivilDn, {"top", "person", "organizationalPerson", "inetOrgPerson"},
            {{"uid", "hand.made"}, {"cn", "手動"}, {"sn", "手"}});
  w.store.portal.accounts.push_back(account(13, "hand.made", "手動", 2));
  w.store.portal.accounts.push_back(account(14, "new.one", "新人", 3));
  auto report = w.sync_changes(accounts({13, 14}));
  CHECK(report.full_because.empty());
  CHECK(report.plan.adopted.size() == 1);
  CHECK(w.dir.get("uid=new.one," + kEducationDn));
  CHECK(w.members("sys-edoc").size() == 2);  // hand.made joins 民政局's system
  CHECK(w.plan().operations.empty());
}

TEST_CASE("changes a scoped run cannot plan run in full, saying why", "[engine][scoped]") {
  ScopedWorld w;
  SECTION("a unit renamed") {
    w.store.portal.units[2].name = "教育處";
    AffectedObjects changes;
    changes.units = {3};
    auto report = w.sync_changes(changes);
    CHECK_THAT(report.full_because, Catch::Contains("org unit"));
    CHECK(w.counted.full_reads == 1);
    CHECK(w.dir.get("uid=lin.wei,ou=教育處," + kCityDn));
  }
  SECTION("a group missing from the directory") {
    w.dir.entries.erase(normalize_dn("cn=sys-hr," + kGroups));
    auto report = w.sync_changes(accounts({11}));
    CHECK_THAT(report.full_because, Catch::Contains("group sys-hr does not exist"));
    CHECK(w.members("sys-hr") == std::vector<std::string>{"uid=lin.wei," + kEducationDn});
  }
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a reserved change that falls due is carried out in a scoped run", "[engine][scoped]") {
  ScopedWorld w;
  ScheduledChange c;
  c.account_id = 11;
  c.kind = "disable";
  c.reason = "離職";
  c.effective_at = "1970-01-01T08:00:00+08:00";
  c.requested_by = "admin";
  std::vector<ScheduledChange> rows{c};
  w.store.add_scheduled_changes(rows);
  auto report = w.sync_changes({});
  REQUIRE(report.decisions.size() == 1);
  CHECK(report.scope == 1);
  CHECK(report.full_because.empty());
  CHECK(w.store.portal.accounts[1].status() == "disabled");
  CHECK(w.members("sys-hr") == std::vector<std::string>{"cn=sys-hr," + kGroups});
  CHECK(w.plan().operations.empty());
}

TEST_CASE("the scope of journal entries is closed over custodians and unit grants", "[scoped]") {
  auto p = tainan();
  SharedAccount s;
  s.id = 7;
  s.custodian_id = 11;
  p.shared_accounts = {s};
  AffectedObjects changes;
  changes.unit_grants = {2};  // 民政局 and 戶政科 below it
  changes.shared_accounts = {7};
  auto choice = scope_of_changes(changes, {}, p);
  REQUIRE(choice.scope);
  CHECK(choice.scope->accounts == std::unordered_set<RowId>{10, 11, 12});
  CHECK(choice.scope->shared_accounts == std::unordered_set<RowId>{7});

  changes = {};
  changes.system_rows = {1};
  CHECK_THAT(scope_of_changes(changes, {}, p).full_because, Catch::Contains("system"));
  changes = {};
  changes.unknown_table = true;
  CHECK_FALSE(scope_of_changes(changes, {}, p).scope);
  changes = {};
  for (RowId id = 1; id <= 200; ++id) changes.accounts.insert(id);
  CHECK_THAT(scope_of_changes(changes, {}, p).full_because, Catch::Contains("201 objects"));
}

TEST_CASE("select_entries keeps units, groups and the named users, and only their memberships",
          "[scoped]") {
  MemoryDirectory dir(kBase);
  dir.put("ou=a," + kBase, {"top", "organizationalUnit"}, {{"ou", "a"}});
  dir.put("uid=x,ou=a," + kBase, {"inetOrgPerson"}, {{"uid", "X"}});
  dir.put("uid=y,ou=a," + kBase, {"inetOrgPerson"}, {{"uid", "y"}});
  dir.put("uid=z,ou=a," + kBase, {"inetOrgPerson"}, {{"uid", "z"}});
  dir.put("cn=g,ou=a," + kBase, {"groupOfNames"}, {{"cn", "g"}});
  dir.entries[normalize_dn("cn=g,ou=a," + kBase)].add_attribute(
      "member", {"UID=X,ou=a," + kBase, "uid=z,ou=a," + kBase});
  MappingOptions m;
  m.base_dn = kBase;
  auto y_anchor = std::string(dir.get("uid=y,ou=a," + kBase)->anchor());
  auto read = dir.read_selected(selective_read_spec(m, {y_anchor}, {"x"}));
  REQUIRE(read);
  std::vector<std::string> dns;
  for (const auto& e : read->entries) dns.emplace_back(e.dn());
  std::sort(dns.begin(), dns.end());
  CHECK(dns == std::vector<std::string>{"cn=g,ou=a," + kBase, "ou=a," + kBase,
                                        "uid=x,ou=a," + kBase, "uid=y,ou=a," + kBase});
  for (const auto& e : read->entries)
    if (e.dn().starts_with("cn=g"))
      CHECK(*e.find("member") == std::vector<std::string>{"UID=X,ou=a," + kBase});
}

namespace {

JournalEntry journal_entry(std::int64_t id, JournalTable table, RowId row) {
  JournalEntry e;
  e.id = id;
  e.table = table;
  e.row_id = row;
  return e;
}

}  // namespace

TEST_CASE("sync_journal plans what the journal names and trims what it covered",
          "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[0].set_display_name("陳雅婷二");
  w.store.journal = {journal_entry(1, JournalTable::accounts, 10)};
  SyncEngine engine(w.store, w.counted, w.clock, w.log, w.options);
  auto report = engine.sync_journal();
  REQUIRE(report);
  CHECK(report->full_because.empty());
  CHECK(report->journal_covered == 1);
  CHECK(w.counted.selective_reads == 1);
  CHECK(w.store.journal.empty());
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "displayName") == "陳雅婷二");

  SECTION("an empty journal reads nothing") {
    auto nothing = engine.sync_journal();
    REQUIRE(nothing);
    CHECK(nothing->plan.operations.empty());
    CHECK(w.counted.selective_reads == 1);
    CHECK(w.counted.full_reads == 0);
  }
  SECTION("more entries than a scoped run takes make a full run") {
    for (std::int64_t id = 2; id <= SyncEngine::kMaxScopedJournalEntries + 2; ++id)
      w.store.journal.push_back(journal_entry(id, JournalTable::accounts, 11));
    auto full = engine.sync_journal();
    REQUIRE(full);
    CHECK_THAT(full->full_because, Catch::Contains("journal entries"));
    CHECK(w.counted.full_reads == 1);
    CHECK(w.store.journal.empty());
  }
}

TEST_CASE("a scoped run tries again what failed in an earlier run", "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[0].set_title("股長");
  w.dir.fail_dns = {"uid=chen.yating," + kHouseholdDn};
  auto failed = w.sync_changes(accounts({10}));
  CHECK(failed.applied.failed == 1);

  w.dir.fail_dns.clear();
  auto retried = w.sync_changes(accounts({11}));  // a change to someone else
  CHECK(retried.applied.failed == 0);
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "title") == "股長");
}

// lin.wei's rename to lin.w failed and is quarantined (so out of the scope); a new account
// takes the name lin.wei. Only the full plan knows the entry uid=lin.wei is still lin.w's.
TEST_CASE("a scoped run does not give one row's entry to another by name", "[engine][scoped]") {
  ScopedWorld w;
  w.store.portal.accounts[1].set_username("lin.w");
  w.store.portal.accounts.push_back(account(13, "lin.wei", "林威二", 3));
  auto report = w.sync_changes(accounts({13}));
  CHECK_THAT(report.full_because, Catch::Contains("belongs to a portal row outside the scope"));
  REQUIRE(w.dir.get("uid=lin.w," + kEducationDn));
  REQUIRE(w.dir.get("uid=lin.wei," + kEducationDn));
  CHECK(w.dir.value("uid=lin.wei," + kEducationDn, "displayName") == "林威二");
  CHECK(w.dir.value("uid=lin.w," + kEducationDn, "displayName") == "林威");
  CHECK(w.plan().operations.empty());
}

// lin.wei's row is deleted and a new row takes the name. The whole portal shows lin.wei's link
// points at a row that is gone, so the entry may pass to the new row by name; a partial
// snapshot cannot tell gone from not loaded, so it leaves that to the full plan.
TEST_CASE("a partial snapshot never hands a linked entry to another row", "[engine][scoped]") {
  ScopedWorld w;
  std::erase_if(w.store.portal.accounts, [](const Account& a) { return a.id == 11; });
  w.store.portal.accounts.push_back(account(13, "lin.wei", "林威二", 3));
  auto report = w.sync_changes(accounts({13}));
  CHECK(w.store.partial_loads == 1);
  CHECK_THAT(report.full_because, Catch::Contains("belongs to a portal row outside the scope"));
  CHECK(w.dir.value("uid=lin.wei," + kEducationDn, "displayName") == "林威二");
  CHECK(w.plan().operations.empty());
}

TEST_CASE("a scoped run with rules to decide reads the whole portal", "[engine][scoped]") {
  ScopedWorld w;
  w.options.run_idle_rule = true;  // idle-disable looks at every account
  w.store.portal.accounts[0].set_title("科長");
  auto report = w.sync_changes(accounts({10}));
  CHECK(w.store.partial_loads == 0);
  CHECK(report.full_because.empty());
  CHECK(w.dir.value("uid=chen.yating," + kHouseholdDn, "title") == "科長");
}

TEST_CASE("a scoped run's log line counts the entries it read", "[engine][scoped]") {
  // It said "0 entries read" whatever the read returned: the count was taken after the read had
  // been moved away.
  struct CapturedLog : Logger {
    std::vector<std::string> lines;
    void log(LogLevel, std::string_view message) override { lines.emplace_back(message); }
  } captured;
  ScopedWorld w;
  w.store.portal.accounts[0].set_display_name("陳雅婷二");
  SyncEngine engine(w.store, w.counted, w.clock, captured, w.options);
  REQUIRE(engine.sync_changes(accounts({10})));
  auto line = std::find_if(captured.lines.begin(), captured.lines.end(),
                           [](const auto& l) { return l.rfind("scoped run: ", 0) == 0; });
  REQUIRE(line != captured.lines.end());
  INFO(*line);
  CHECK(line->find(" 0 entries read") == std::string::npos);
  CHECK(line->find(" entries read") != std::string::npos);
}

namespace {

// A connector that reads units apart, as the LDAP one does, and notices two of its calls at once
// (it is not thread-safe).
class UnitsApartDirectory : public DirectoryConnectorWrapper {
 public:
  using DirectoryConnectorWrapper::DirectoryConnectorWrapper;
  std::atomic<int> busy{0};
  std::atomic<bool> overlapped{false};
  int unit_reads = 0;
  std::size_t units_passed = 0;

  bool reads_units_apart() const override { return true; }
  Result<DirectoryReadResult> read_units(const SelectiveReadSpec& spec) override {
    Call call(*this);
    ++unit_reads;
    auto all = target().read_subtree({spec.base_dn, spec.attributes});
    if (!all) return all;
    std::erase_if(all->entries,
                  [&](const DirectoryEntry& e) { return !e.has_object_class(spec.unit_class); });
    return all;
  }
  Result<DirectoryReadResult> read_selected(const SelectiveReadSpec& spec) override {
    Call call(*this);
    units_passed = spec.units ? spec.units->entries.size() : 0;
    auto without = spec;
    without.units.reset();
    return target().read_selected(without);
  }
  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override {
    Call call(*this);
    return target().read_subtree(spec);
  }
  Status submit(std::uint64_t ticket, const Operation& op) override {
    Call call(*this);
    return target().submit(ticket, op);
  }
  Result<Completion> wait_completion() override {
    Call call(*this);
    return target().wait_completion();
  }

 private:
  struct Call {
    explicit Call(UnitsApartDirectory& d) : d(d) {
      if (d.busy++ > 0) d.overlapped = true;
    }
    ~Call() { --d.busy; }
    UnitsApartDirectory& d;
  };
};

}  // namespace

TEST_CASE("a scoped run reads the units while it reads the portal, never beside another call",
          "[engine][scoped]") {
  ScopedWorld w;
  UnitsApartDirectory apart{w.dir};
  std::size_t units = 0;  // below the base, as a read returns them
  auto all = w.dir.read_subtree({kBase, {}});
  REQUIRE(all);
  for (const auto& e : all->entries) units += e.has_object_class("organizationalUnit");
  auto sync = [&](const AffectedObjects& changes) {
    SyncEngine engine(w.store, apart, w.clock, w.log, w.options);
    auto r = engine.sync_changes(changes);
    REQUIRE(r);
    return std::move(r.value());
  };
  SECTION("planned in scope: the units read beforehand are the ones planned from") {
    w.store.portal.accounts[1].org_unit_id = 4;  // lin.wei to 戶政科
    auto report = sync(accounts({11}));
    CHECK(report.full_because.empty());
    CHECK(apart.unit_reads == 1);
    CHECK(apart.units_passed == units);
    CHECK(w.dir.get("uid=lin.wei," + kHouseholdDn));
  }
  SECTION("a change only a full run can plan: the unit read ends before the full read") {
    w.store.portal.units[2].name = "教育處";
    AffectedObjects changes;
    changes.units = {3};
    auto report = sync(changes);
    CHECK_THAT(report.full_because, Catch::Contains("org unit"));
    CHECK(w.dir.get("uid=lin.wei,ou=教育處," + kCityDn));
  }
  CHECK_FALSE(apart.overlapped);
  CHECK(w.plan().operations.empty());
}
